import * as tf from '@tensorflow/tfjs';
import { AdamFamily, type AdamOptions } from './adamFamily';

/**
 * Adam (Kingma & Ba 2015), as torch.optim.Adam: g ← g + λθ (coupled L2, default λ = 0);
 * m ← β1 m + (1−β1) g; v ← β2 v + (1−β2) g²; θ ← θ − η m̂/(√v̂ + ε) with m̂ = m/(1−β1ᵗ), v̂ = v/(1−β2ᵗ).
 */
export class Adam extends AdamFamily<'adam'> {
  constructor(opts: AdamOptions) {
    super('adam', opts, { epsilon: 1e-8, weightDecay: 0 });
  }

  protected updateParam(p: tf.Variable, grad: tf.Tensor, i: number): void {
    const g = this.weightDecay > 0 ? tf.add(grad, tf.mul(p, this.weightDecay)) : grad;
    p.assign(tf.sub(p, tf.mul(this.adamDirection(i, g), this.learningRate)));
  }
}
