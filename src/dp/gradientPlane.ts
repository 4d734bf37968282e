import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import type { PlaneGeometry } from '../domain/gradientPlane';

/** What the gradient plane is computed from: one step's Grams, mask, clip factors and noise. */
export interface PlaneInputs {
  /** Per-layer Gram matrices [K, B, B], row-major (perSampleGrams), padded rows included. */
  grams: ArrayLike<number>;
  layers: number;
  rows: number;
  /** [B], 1 for a real row, 0 for padding. */
  mask: ArrayLike<number>;
  /** The step's clip factors: [B] for flat clipping, [K, B] for layer-wise (clipFactors). */
  factors: ArrayLike<number>;
  style: 'flat' | 'layer-wise';
  /** σS, the noise std per coordinate of the clipped sum (0 without noise). */
  noiseStd: number;
  /** qN for a private run; null without privacy (the update is then the mean over real rows). */
  expectedBatchSize: number | null;
}

function fail(what: string): never {
  throw new Error(`gradient plane: ${what}`);
}

function checkInputs(p: PlaneInputs): void {
  const { layers: k, rows: b } = p;
  if (!(Number.isInteger(k) && k >= 1 && Number.isInteger(b) && b >= 1)) fail(`needs ≥ 1 layer and ≥ 1 row, got ${k} and ${b}`);
  if (p.grams.length !== k * b * b) fail(`grams has ${p.grams.length} entries, expected K·B·B = ${k * b * b}`);
  if (p.mask.length !== b) fail(`mask has ${p.mask.length} entries, expected ${b}`);
  const nFactors = p.style === 'flat' ? b : k * b;
  if (p.factors.length !== nFactors) fail(`factors has ${p.factors.length} entries, expected ${nFactors} (${p.style})`);
  const finite = (a: ArrayLike<number>, name: string) => {
    for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) fail(`${name}[${i}] is ${a[i]} (non-finite input)`);
  };
  finite(p.grams, 'grams');
  finite(p.factors, 'factors');
  if (!(Number.isFinite(p.noiseStd) && p.noiseStd >= 0)) fail(`noiseStd must be finite and ≥ 0, got ${p.noiseStd}`);
  if (p.expectedBatchSize !== null && !(Number.isFinite(p.expectedBatchSize) && p.expectedBatchSize > 0)) {
    fail(`expectedBatchSize must be finite and > 0, got ${p.expectedBatchSize}`);
  }
}

/**
 * The batch's per-sample gradients g_i in the plane of their top two principal directions, from the
 * Gram matrix G = Σ_l G_l (real rows only) alone. With G = UΛUᵀ, the unit directions are
 * v_k = Σ_j g_j U_jk/√λ_k, so ⟨g_i, v_k⟩ = √λ_k U_ik, and a clipped gradient Σ_l C_il g_il projects to
 * Σ_l C_il (G_l U)_ik/√λ_k (C_il = C_i for flat clipping). Eigenvectors' signs are fixed so the raw
 * sum points to +x and +y. The eigenproblem of the small symmetric G (B ≤ 4096 rows, in practice
 * ≤ 256) is solved by ml-matrix's symmetric EigenvalueDecomposition (Householder tridiagonalisation
 * and QL, from JAMA). Throws on non-finite input.
 */
export function gradientPlane(p: PlaneInputs): PlaneGeometry {
  checkInputs(p);
  const { layers: k, rows: b } = p;
  const real: number[] = [];
  for (let i = 0; i < b; i++) if (p.mask[i] > 0) real.push(i);
  const n = real.length;
  if (n === 0) fail('the batch has no real row');
  // Per-layer Grams on real rows, symmetrised (float32 matmuls need not be bit-symmetric).
  const layerGram = (l: number, i: number, j: number) =>
    0.5 * (p.grams[(l * b + real[i]) * b + real[j]] + p.grams[(l * b + real[j]) * b + real[i]]);
  const total = Matrix.zeros(n, n);
  for (let l = 0; l < k; l++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) total.set(i, j, total.get(i, j) + layerGram(l, i, j));
  const evd = new EigenvalueDecomposition(total, { assumeSymmetric: true });
  const values = evd.realEigenvalues;
  const vectors = evd.eigenvectorMatrix;
  const order = values.map((_, i) => i).sort((x, y) => values[y] - values[x]);
  const axes = [0, 1].map((a) => {
    if (a >= n) return { lambda: 0, u: new Float64Array(n) };
    const col = order[a];
    const u = Float64Array.from({ length: n }, (_, i) => vectors.get(i, col));
    const sum = u.reduce((s, v) => s + v, 0);
    if (sum < 0) u.forEach((v, i) => (u[i] = -v));
    return { lambda: Math.max(0, values[col]), u };
  });
  const factor = (l: number, i: number) => (p.style === 'flat' ? p.factors[real[i]] : p.factors[l * b + real[i]]);
  const raw = new Float32Array(2 * n);
  const clipped = new Float32Array(2 * n);
  const norms = new Float32Array(n);
  const scales = new Float32Array(n);
  const captured = new Float32Array(n);
  const clippedSum: [number, number] = [0, 0];
  let trace = 0;
  for (let i = 0; i < n; i++) {
    let sq = 0;
    let clippedSq = 0;
    for (let l = 0; l < k; l++) {
      const g = layerGram(l, i, i);
      sq += g;
      clippedSq += factor(l, i) ** 2 * g;
    }
    trace += sq;
    norms[i] = Math.sqrt(Math.max(0, sq));
    scales[i] = norms[i] > 0 ? Math.sqrt(Math.max(0, clippedSq)) / norms[i] : factor(0, i);
    axes.forEach(({ lambda, u }, a) => {
      if (lambda <= 0) return;
      const root = Math.sqrt(lambda);
      raw[2 * i + a] = root * u[i];
      // Σ_l C_il (G_l U)_ia / √λ_a
      let c = 0;
      for (let l = 0; l < k; l++) {
        let gu = 0;
        for (let j = 0; j < n; j++) gu += layerGram(l, i, j) * u[j];
        c += factor(l, i) * gu;
      }
      clipped[2 * i + a] = c / root;
      clippedSum[a] += c / root;
    });
    captured[i] = norms[i] > 0 ? Math.min(1, Math.hypot(raw[2 * i], raw[2 * i + 1]) / norms[i]) : 1;
  }
  const divisor = p.expectedBatchSize ?? n;
  const lambdas: [number, number] = [axes[0].lambda, axes[1].lambda];
  return {
    raw,
    clipped,
    norms,
    scales,
    captured,
    clippedSum,
    noiseRadius: p.noiseStd,
    divisor,
    update: [clippedSum[0] / divisor, clippedSum[1] / divisor],
    updateNoiseRadius: p.noiseStd / divisor,
    eigenvalues: lambdas,
    batchShare: trace > 0 ? Math.min(1, (lambdas[0] + lambdas[1]) / trace) : 1,
  };
}
