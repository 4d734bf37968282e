/**
 * Opacus (github.com/pytorch/opacus): its building blocks (GradSampleModule, DPOptimizer, DPDataLoader,
 * an accountant) wired as make_private wires them, but with the playground's q = B/N (make_private
 * derives 1/ceil(N/B) from a DataLoader). Opacus implements Abadi clipping over all layers only, so
 * every other clipping function and layer-wise clipping replace the optimizer's clip_and_accumulate
 * with the playground's rule (noise std = σ × sensitivity).
 */
import { CLIPPING_NAMES, clippingFunction, type ClippingName } from '../../clipping/functions';
import { pyStr } from '../python';
import { pyFunction } from './lines';
import type { ExportPlan } from './plan';
import { privateGenerators } from './randomness';
import type { Trainer } from './training';

/** Each clipping function's factor C(‖g‖) for a tensor of norms and a group bound, in torch (src/clipping/functions.ts). */
const TORCH_FACTOR: Record<ClippingName, string> = {
  'auto-s': 'bound / (norms + GAMMA)',
  'auto-v': 'torch.where(norms > 0, bound / norms.clamp(min=1e-12), torch.zeros_like(norms))',
  abadi: '(bound / (norms + 1e-6)).clamp(max=1.0)', // Opacus's own form
  global: '(norms <= bound).to(norms.dtype)',
};

/** The one clipping Opacus does itself. */
const BUILT_IN: { clipping: ClippingName; style: 'flat' } = { clipping: 'abadi', style: 'flat' };

export function opacusTrainer(plan: ExportPlan): Trainer {
  const p = plan.config.privacy;
  const builtIn = p.clipping === BUILT_IN.clipping && p.style === BUILT_IN.style;
  return {
    title: 'DP training with Opacus',
    stdlib: ['types'],
    imports: [
      'from opacus import GradSampleModule',
      'from opacus.accountants import create_accountant',
      ...(p.noise.mode === 'target' ? ['from opacus.accountants.utils import get_noise_multiplier'] : []),
      'from opacus.data_loader import DPDataLoader',
      'from opacus.optimizers import DPOptimizer',
      'from opacus.optimizers.optimizer import _mark_as_processed',
    ],
    constants: [
      `ACCOUNTANT = ${pyStr(p.accountant)}`,
      ...(plan.secure
        ? [
            "# True: Opacus's secure_mode, sampling and noise straight from /dev/urandom through torchcsprng, and",
            '# its defence against floating-point attacks on the noise. torchcsprng has wheels only for old',
            '# PyTorch releases (github.com/pytorch/csprng), hence off by default: see private_generators().',
            'SECURE_MODE = False',
          ]
        : []),
    ],
    helpers: [CLIP_FACTORS, USE_PLAYGROUND_CLIPPING, opacusGenerators(plan.secure)],
    setup: [
      'model = build_model().to(device)',
      'groups = [name.rsplit(".", 1)[0] for name, prm in model.named_parameters() if prm.requires_grad]',
      'sampling_rng, noise_rng = private_generators(device)',
      "# Opacus's building blocks, wired as PrivacyEngine.make_private wires them, but with the playground's",
      '# q = B / N: make_private derives q = 1 / len(loader) = 1 / ceil(N / B) from a DataLoader.',
      'loader = DPDataLoader(train, sample_rate=SAMPLE_RATE, generator=sampling_rng)',
      ...(p.noise.mode === 'sigma'
        ? ['noise_multiplier = NOISE_MULTIPLIER']
        : [
            'noise_multiplier = get_noise_multiplier(',
            '    target_epsilon=TARGET_EPSILON, target_delta=DELTA, sample_rate=SAMPLE_RATE, steps=STEPS, accountant=ACCOUNTANT',
            ')',
            "print(f'sigma = {noise_multiplier:.4f} (Opacus calibration for epsilon = {TARGET_EPSILON}, delta = {DELTA})')",
          ]),
      'model = GradSampleModule(model)',
      'optimizer = DPOptimizer(',
      '    make_optimizer(model),',
      '    noise_multiplier=noise_multiplier,',
      '    max_grad_norm=SENSITIVITY,',
      '    expected_batch_size=BATCH_SIZE,',
      "    loss_reduction='mean',",
      '    generator=noise_rng,',
      ...(plan.secure ? ['    secure_mode=SECURE_MODE,'] : []),
      ')',
      'accountant = create_accountant(ACCOUNTANT)',
      'optimizer.attach_step_hook(accountant.get_optimizer_hook_fn(sample_rate=SAMPLE_RATE))',
      builtIn
        ? "# Abadi clipping over all layers is Opacus's own (flat) clipping; nothing to replace."
        : 'use_playground_clipping(optimizer, groups)',
    ],
    loop: {
      batches: { from: 'loader', comment: 'Poisson batches; an empty one still adds the noise, as the accountant counts it' },
      epsilon: 'accountant.get_epsilon(DELTA)',
      done: ["print(f'done: epsilon = {accountant.get_epsilon(DELTA):.4f} at delta = {DELTA} ({ACCOUNTANT}) after {step} steps')"],
    },
    requirements: ["'opacus>=1.4'"],
  };
}

/** clip_factors(norms, bound) for every clipping function, chosen by CLIPPING (which a user may edit). */
const CLIP_FACTORS = pyFunction('clip_factors(norms, bound)', [
  '"""Per-sample factors C_i from gradient norms (the playground\'s src/clipping/functions.ts)."""',
  ...CLIPPING_NAMES.flatMap((name) => [
    `if CLIPPING == ${pyStr(name)}:`,
    `    return ${TORCH_FACTOR[name]}  # ${clippingFunction(name).formula}`,
  ]),
  "raise ValueError(f'unknown CLIPPING {CLIPPING!r}')",
]);

const USE_PLAYGROUND_CLIPPING = pyFunction('use_playground_clipping(optimizer, groups)', [
  '"""Replace Opacus\'s Abadi clipping by CLIPPING / CLIPPING_STYLE. `groups` names the layer of',
  'each parameter, in optimizer order. The noise Opacus adds stays sigma * max_grad_norm, and',
  'max_grad_norm is SENSITIVITY, the bound on every clipped gradient\'s norm."""',
  'layers = list(dict.fromkeys(groups))',
  '',
  'def clip_and_accumulate(self):',
  '    samples = self.grad_samples',
  '    if len(samples[0]) == 0:  # an empty Poisson batch: nothing to clip, the noise is still added',
  '        factors = [samples[0].new_zeros(0)] * len(samples)',
  '    else:',
  '        sq = [g.reshape(len(g), -1).pow(2).sum(1) for g in samples]',
  "        if CLIPPING_STYLE == 'flat':",
  '            factors = [clip_factors(torch.stack(sq, 1).sum(1).sqrt(), SENSITIVITY)] * len(samples)',
  '        else:',
  '            bound = SENSITIVITY / math.sqrt(len(layers))',
  '            per_layer = {name: clip_factors(sum(s for s, g in zip(sq, groups) if g == name).sqrt(), bound) for name in layers}',
  '            factors = [per_layer[g] for g in groups]',
  '    for param, grad_sample, factor in zip(self.params, samples, factors):',
  "        grad = torch.einsum('i,i...->...', factor, grad_sample)",
  '        param.summed_grad = grad if param.summed_grad is None else param.summed_grad + grad',
  '        _mark_as_processed(param.grad_sample)',
  '',
  'optimizer.clip_and_accumulate = types.MethodType(clip_and_accumulate, optimizer)',
]);

/** Generators for sampling and for the noise, secure or (only when the config says so) seeded. */
function opacusGenerators(secure: boolean): string[] {
  return privateGenerators('private_generators(device)', secure, {
    seeded: {
      docstring: [
        '"""Generators for Poisson sampling and for the noise, seeded from SEED because the run config has',
        'secure randomness off: reproducible, and NOT private against anyone who knows SEED (it travels in',
        'the run config and the playground\'s URL). For teaching and debugging only."""',
      ],
      code: ['return torch.Generator().manual_seed(SEED + 1), torch.Generator(device=device).manual_seed(SEED + 2)'],
    },
    secure: {
      docstring: [
        '"""Generators for Poisson sampling and for the noise (secure randomness): nothing here derives from',
        'SEED. By default each is a PyTorch generator (Mersenne Twister on the CPU, Philox on a GPU) seeded',
        "with 63 bits from the operating system's CSPRNG: unpredictable to anyone who has the run config,",
        'though not a cryptographic generator itself. SECURE_MODE = True draws both from /dev/urandom',
        '(torchcsprng, Opacus\'s secure_mode)."""',
      ],
      code: [
        'if SECURE_MODE:',
        '    import torchcsprng as csprng',
        '',
        "    rng = csprng.create_random_device_generator('/dev/urandom')",
        '    return rng, rng',
        'return torch.Generator().manual_seed(secrets.randbits(63)), torch.Generator(device=device).manual_seed(secrets.randbits(63))',
      ],
    },
  });
}
