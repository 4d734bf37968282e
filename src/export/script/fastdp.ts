/**
 * fastDP (github.com/awslabs/fast-differential-privacy): PrivacyEngine(module, batch_size, sample_size,
 * epochs, noise_multiplier | target_epsilon, clipping_fn, clipping_mode='MixOpt', clipping_style),
 * with Poisson batches drawn in the script; an empty batch still releases its noise. fastDP accounts
 * with RDP or GLW (numerical composition, the PRV accountant's counterpart); it has no GDP accountant.
 */
import type { ClippingName } from '../../clipping/functions';
import type { RunConfig } from '../../config/runConfig';
import { pyStr } from '../python';
import { pyFunction } from './lines';
import type { ExportPlan } from './plan';
import { privateGenerators } from './randomness';
import type { Trainer } from './training';

/** fastDP's clipping_fn and numerical_stability_constant for each clipping function. */
const FASTDP_CLIPPING: Record<ClippingName, { fn: string; stability: string; note?: string }> = {
  'auto-s': { fn: 'automatic', stability: 'GAMMA' },
  'auto-v': { fn: 'automatic', stability: '1e-6', note: 'AUTO-V: automatic clipping with a vanishing constant' },
  abadi: { fn: 'Abadi', stability: 'None' },
  global: { fn: 'global', stability: 'None' },
};

/** fastDP's accounting_mode for the playground's accountant. */
const FASTDP_ACCOUNTING: Record<RunConfig['privacy']['accountant'], { mode: string; note: string }> = {
  rdp: { mode: 'rdp', note: 'RDP, as the playground' },
  prv: { mode: 'glw', note: "the playground uses PRV; fastDP's closest is 'glw' (numerical composition, Gopi et al. 2021)" },
  gdp: { mode: 'rdp', note: "the playground uses GDP (CLT, can underestimate ε); fastDP has none, 'rdp' is a valid upper bound" },
};

export function fastdpTrainer(plan: ExportPlan): Trainer {
  const p = plan.config.privacy;
  const clipping = FASTDP_CLIPPING[p.clipping];
  const accounting = FASTDP_ACCOUNTING[p.accountant];
  return {
    title: 'DP training with fastDP',
    stdlib: [],
    imports: ['from fastDP import PrivacyEngine'],
    constants: [`ACCOUNTING_MODE = ${pyStr(accounting.mode)}  # ${accounting.note}`],
    helpers: [BATCHES, NOISE_ONLY_STEP, fastdpGenerators(plan.secure)],
    setup: [
      'x_all, y_all = next(iter(DataLoader(train, batch_size=len(train))))',
      'model = build_model().to(device)',
      'optimizer = make_optimizer(model)',
      'privacy_engine = PrivacyEngine(',
      '    model,',
      '    batch_size=BATCH_SIZE,',
      '    sample_size=len(train),',
      '    epochs=EPOCHS,',
      p.noise.mode === 'sigma' ? '    noise_multiplier=NOISE_MULTIPLIER,' : '    target_epsilon=TARGET_EPSILON,',
      '    target_delta=DELTA,',
      '    accounting_mode=ACCOUNTING_MODE,',
      '    max_grad_norm=SENSITIVITY,',
      `    clipping_fn=${pyStr(clipping.fn)},`,
      "    clipping_mode='MixOpt',",
      `    clipping_style=${pyStr(p.style === 'flat' ? 'all-layer' : 'layer-wise')},`,
      `    numerical_stability_constant=${clipping.stability},${clipping.note ? `  # ${clipping.note}` : ''}`,
      "    loss_reduction='mean',",
      ')',
      'privacy_engine.attach(optimizer)',
      "print(f'sigma = {privacy_engine.noise_multiplier:.4f}')",
      'sampling_rng = private_generators()  # after build_model (which used SEED), before any noise',
    ],
    loop: {
      batches: { from: 'indices', emptyBatch: ['noise_only_step(privacy_engine, optimizer)'] },
      done: ["print('done:', privacy_engine.get_privacy_spent())"],
    },
    requirements: [],
    installNote: '  and fastDP: pip install git+https://github.com/awslabs/fast-differential-privacy.git',
  };
}

const BATCHES = pyFunction('batches(n, generator)', [
  '"""Index batches, STEPS of them, by Poisson sampling (each example independently with q =',
  'SAMPLE_RATE), as the accountant assumes. A batch can be empty."""',
  'for _ in range(STEPS):',
  '    yield (torch.rand(n, generator=generator) < SAMPLE_RATE).nonzero().flatten()',
]);

const NOISE_ONLY_STEP = pyFunction('noise_only_step(privacy_engine, optimizer)', [
  '"""An empty Poisson batch is still a step of the mechanism: release the noise alone (a zero clipped',
  'sum plus noise), as the accountant counts it. Skipping it would change what was released."""',
  'for _, param in privacy_engine.named_params:',
  '    param.summed_clipped_grad = torch.zeros_like(param)',
  'optimizer.step()',
  'optimizer.zero_grad()',
]);

/** A generator for sampling; fastDP's noise comes from PyTorch's global generators, which are reseeded here. */
function fastdpGenerators(secure: boolean): string[] {
  return privateGenerators('private_generators()', secure, {
    seeded: {
      docstring: [
        '"""The generator for Poisson sampling, and PyTorch\'s global generators, from which fastDP draws its',
        'noise, seeded from SEED because the run config has secure randomness off: reproducible, and NOT',
        "private against anyone who knows SEED (it travels in the run config and the playground's URL).",
        'For teaching and debugging only."""',
      ],
      code: ['torch.manual_seed(SEED + 2)', 'return torch.Generator().manual_seed(SEED + 1)'],
    },
    secure: {
      docstring: [
        '"""The generator for Poisson sampling, and PyTorch\'s global generators, from which fastDP draws its',
        "noise (secure randomness): all reseeded with 63 bits each from the operating system's CSPRNG, so",
        "nothing here derives from SEED, which only initialised the model. These are PyTorch's generators",
        '(Mersenne Twister on the CPU, Philox on a GPU), unpredictable without their seeds though not',
        'cryptographic themselves; fastDP has no secure mode of its own."""',
      ],
      code: ['torch.manual_seed(secrets.randbits(63))', 'return torch.Generator().manual_seed(secrets.randbits(63))'],
    },
  });
}
