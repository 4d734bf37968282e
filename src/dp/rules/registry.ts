import type { Layer, LayerKind } from '../../model/layers/layer';
import { conv2dRule } from './conv2d';
import { denseRule } from './dense';
import type { PerSampleRule } from './rule';

/** Per-sample rules by layer kind (explicit, alphabetised). Parameterless layers need none. */
const RULES = new Map<LayerKind, PerSampleRule>([
  ['conv2d', conv2dRule as PerSampleRule],
  ['dense', denseRule as PerSampleRule],
]);

/** Registers (or replaces, e.g. with a kernel-backed version) the rule for a layer kind. */
export function registerRule(kind: LayerKind, rule: PerSampleRule): void {
  RULES.set(kind, rule);
}

/**
 * The rule for a parametric layer. Throws, naming the layer, when a layer has trainable parameters
 * but no rule: such a model must be refused rather than silently mis-clipped.
 */
export function ruleFor(layer: Layer): PerSampleRule {
  const rule = RULES.get(layer.kind);
  if (!rule) {
    throw new Error(
      `DP step: layer "${layer.name}" (kind "${layer.kind}") has ${layer.params.length} trainable parameter tensor(s) ` +
        'but no per-sample gradient rule; it cannot be trained privately',
    );
  }
  return rule;
}

/** A layer that holds parameters, with its per-sample rule. */
export interface ParametricLayer {
  layer: Layer;
  rule: PerSampleRule;
}

/** The layers of a model that hold parameters, each with its rule (throws on a layer without one). */
export function parametricLayers(layers: readonly Layer[]): ParametricLayer[] {
  return layers.filter((l) => l.params.length > 0).map((layer) => ({ layer, rule: ruleFor(layer) }));
}
