import type { ClippingNameOrNone } from '../functions';

/**
 * Independent float64 reference of a clip factor with group bound b: the table in
 * docs/ARCHITECTURE.md (Bu et al. 2023; Abadi et al. 2016), written apart from functions.ts.
 */
export function tableFactor(name: ClippingNameOrNone, n: number, b: number, gamma: number): number {
  switch (name) {
    case 'none':
      return 1;
    case 'abadi':
      return n === 0 ? 1 : Math.min(1, b / n);
    case 'auto-v':
      return n === 0 ? 0 : b / n;
    case 'auto-s':
      return b / (n + gamma);
    case 'global':
      return n <= b ? 1 : 0;
  }
}
