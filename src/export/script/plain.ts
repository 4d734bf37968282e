/** A run with privacy off: plain training, shuffled fixed-size batches, no clipping, no noise. */
import type { Trainer } from './training';

export const PLAIN_TRAINER: Trainer = {
  title: 'Non-private training',
  stdlib: [],
  imports: [],
  constants: [],
  helpers: [],
  setup: [
    'model = build_model().to(device)',
    'optimizer = make_optimizer(model)',
    'loader = DataLoader(train, batch_size=BATCH_SIZE, shuffle=True, generator=torch.Generator().manual_seed(SEED))',
  ],
  loop: { batches: { from: 'loader' }, done: [] },
  requirements: [],
};
