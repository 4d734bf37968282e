/**
 * The PRV accountant cannot give a reliable answer for this history in floating point: the grid would
 * exceed its size limit, the privacy loss reaches beyond what e^t can represent, δ is so small that
 * rounding dominates, or an intermediate value is not finite. The message says which; callers fall
 * back to a bound that holds (RDP) and show the message as a warning.
 */
export class PrvUnsupportedError extends RangeError {
  constructor(message: string) {
    super(message);
    this.name = 'PrvUnsupportedError';
  }
}
