/**
 * Short definitions of the DP terms the playground uses, shown as hover/focus help wherever a term
 * appears (src/ui/lessons/Term.tsx). Plain words first, then the symbol's role in DP-SGD.
 */
export const GLOSSARY = {
  dp: {
    term: 'Differential privacy',
    text: 'A promise about a training algorithm: whether or not any one person’s example is in the data changes the probability of any result by at most a factor e^ε (plus a small slack δ). The model cannot reveal much about any single example.',
  },
  epsilon: {
    term: 'ε (epsilon)',
    text: 'The privacy loss: smaller is more private. ε ≈ 1 is strong, ε ≈ 8 is weak but common. It grows with every noisy step; the accountant adds it up.',
  },
  delta: {
    term: 'δ (delta)',
    text: 'The small probability with which the ε promise may fail. Set it well below 1/N (N examples); 10⁻⁵ here.',
  },
  sigma: {
    term: 'σ (noise multiplier)',
    text: 'How much Gaussian noise each step adds, relative to the clipping bound: the noise has standard deviation σ·R (σ·1 with automatic clipping). More noise, smaller ε per step.',
  },
  q: {
    term: 'q (sampling rate)',
    text: 'The chance that a given example is in a step’s batch: q = B/N. A small q means each example is rarely used, which makes each step cheaper in privacy (amplification by sampling).',
  },
  R: {
    term: 'R (clipping threshold)',
    text: 'Abadi clipping scales every per-sample gradient down to norm at most R, so no example can move a step by more than R. The noise is σ·R. Too small an R slows learning, too large a R adds noise for nothing.',
  },
  gamma: {
    term: 'γ (stability constant)',
    text: 'Automatic clipping (AUTO-S) divides each per-sample gradient by ‖g‖ + γ. γ (0.01 here) keeps tiny gradients from being blown up to unit size; it needs no tuning.',
  },
  S: {
    term: 'S (sensitivity)',
    text: 'The most one example can change the clipped gradient sum: R for Abadi clipping, 1 for automatic clipping. The noise is σ·S.',
  },
  poisson: {
    term: 'Poisson sampling',
    text: 'Each example joins each batch independently with probability q, so batch sizes vary around B. The privacy accountants assume it; shuffled fixed batches are not covered by their guarantee.',
  },
  accountants: {
    term: 'PRV / RDP / GDP accountants',
    text: 'Ways to add up ε over many steps. PRV (privacy random variables) is numerically tight; RDP (Rényi DP) is a safe upper bound; GDP (Gaussian DP) is a quick approximation that can underestimate ε.',
  },
  bookkeeping: {
    term: 'Book-keeping',
    text: 'Computing the per-sample norms and the clipped sum in one pass, without storing every per-sample gradient: the trick that makes DP training about as fast as ordinary training.',
  },
  clipping: {
    term: 'Per-sample clipping',
    text: 'Each example’s gradient is limited in size before the gradients are summed, so that adding noise of a known size hides any one example.',
  },
  gradNorm: {
    term: '‖gᵢ‖ (per-sample gradient norm)',
    text: 'The length of one example’s own gradient gᵢ. Ordinary training only needs the batch average; DP-SGD needs each example’s, to bound what any one example can add to a step.',
  },
  clipFactor: {
    term: 'Cᵢ (clip factor)',
    text: 'The number each per-sample gradient is multiplied by before the sum: min(1, R/‖gᵢ‖) for Abadi clipping (1 = left as it is), 1/(‖gᵢ‖ + γ) for AUTO-S. Cᵢ·‖gᵢ‖ never exceeds the sensitivity S.',
  },
  automatic: {
    term: 'Automatic clipping (AUTO-S, AUTO-V)',
    text: 'Bu et al. 2023: instead of clipping at a threshold R, every per-sample gradient is normalised, gᵢ/(‖gᵢ‖ + γ) for AUTO-S or gᵢ/‖gᵢ‖ for AUTO-V. Each example then adds at most 1 (S = 1), so there is no R to tune.',
  },
  expectedBatch: {
    term: 'B = qN (expected batch size)',
    text: 'How many examples a step uses on average: the sampling rate q times the N training examples. With Poisson sampling the drawn count varies; the noisy sum is divided by qN, not by that count, since the count depends on who was drawn and no noise hides it.',
  },
} as const satisfies Record<string, { term: string; text: string }>;

export type GlossaryKey = keyof typeof GLOSSARY;
