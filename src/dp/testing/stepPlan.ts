import { resolveClipPlan, type ClipSettings } from '../../clipping/plan';
import { planDpStep, type DpStepPlan, type DpStepSettings } from '../stepPlan';

/** A DP step's settings as tests write them: clipping, R, γ, style and the step's options in one object. */
export type StepSettings = ClipSettings & Omit<DpStepSettings, 'clip'>;

/** A DP step plan from plain settings. */
export function stepPlan(s: StepSettings): DpStepPlan {
  return planDpStep({ ...s, clip: resolveClipPlan(s) });
}
