import { ACCOUNTANTS, BACKEND_CHOICES, OPTIMIZERS, type PrivacyConfig, type RunConfig } from '../../config/runConfig';
import { privacyHideRefusal } from '../../config/urlCodec';
import { clippingFunction } from '../../clipping/functions';
import { EPSILON_MAX, SIGMA_MAX, SIGMA_MIN } from '../../config/privacyBounds';
import { MAX_BATCH_SIZE } from '../../config/stepBudget';
import { draftTrainSize, selectActiveRun } from '../../store/selectors';
import { selectLiveLearningRateRun, selectPausedLearningRateRun } from '../../store/learningRateSlice';
import { learningRateProblem } from '../../config/learningRate';
import { usePlayground } from '../storeContext';
import { DataSection } from './DataSection';
import { ConfigFileMenu } from '../ConfigFileMenu';
import { Formula } from '../Formula';
import { IntegerListField, NumberField, Section, Select } from './fields';
import { CLIPPING_OPTIONS, clippingHelp, noiseStdHelp, styleHelp } from '../clippingText';
import { Term } from '../lessons/Term';

const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  sgd: 'SGD (momentum)',
  adam: 'Adam',
  adamw: 'AdamW',
  lamb: 'LAMB',
};

const BACKEND_LABELS: Record<(typeof BACKEND_CHOICES)[number], string> = {
  auto: 'Automatic (fastest, timed at start)',
  webgpu: 'WebGPU',
  wasm: 'WebAssembly (CPU, SIMD)',
  webgl: 'WebGL',
  cpu: 'Plain JavaScript CPU',
};

const ACCOUNTANT_LABELS: Record<(typeof ACCOUNTANTS)[number], string> = {
  prv: 'PRV (tight, default)',
  rdp: 'RDP (upper bound)',
  gdp: 'GDP / CLT (may underestimate!)',
};

/** Every setting of the next run, grouped as the data flows: data → model → training → privacy. */
export function ControlPanel() {
  const running = usePlayground((s) => selectActiveRun(s)?.state === 'running');
  const hidden = usePlayground((s) => s.hidden);
  // However the config arrived (link, file, a run selected), the privacy section shows while the run's ε has a caveat.
  const privacyHidden = usePlayground((s) => s.hidden.includes('privacy') && privacyHideRefusal(s.draft) === null);
  return (
    <form className="control-panel" aria-label="Settings" onSubmit={(e) => e.preventDefault()}>
      {running && (
        <p className="locked-note" role="status" data-testid="settings-locked">
          Settings are locked while the run trains: they describe it. The learning rate stays open and changes the run from its next step.
          Pause the run, then change the others to start a new run beside it.
        </p>
      )}
      {!hidden.includes('data') && <DataSection disabled={running} />}
      {!hidden.includes('model') && <ModelSection disabled={running} />}
      {!hidden.includes('training') && <TrainingSection disabled={running} />}
      {!privacyHidden && <PrivacySection disabled={running} />}
      <ConfigFileMenu />
    </form>
  );
}

function ModelSection({ disabled }: { disabled: boolean }) {
  const model = usePlayground((s) => s.draft.model);
  const setDraft = usePlayground((s) => s.setDraft);
  const activation = model.preset === 'logistic' ? 'relu' : model.activation;
  return (
    <Section title="Model">
      <Select
        label="Architecture"
        help="The CNN is the 4-layer DP-MNIST model (Papernot et al. 2021) for image data."
        value={model.preset}
        disabled={disabled}
        options={[
          { value: 'logistic', label: 'Logistic regression' },
          { value: 'mlp', label: 'MLP' },
          { value: 'cnn', label: 'CNN (conv 8×8·16 → conv 4×4·32 → 32 → 10)' },
        ]}
        onChange={(preset) =>
          setDraft((c): RunConfig => {
            if (preset === 'logistic') return { ...c, model: { preset } };
            if (preset === 'mlp') return { ...c, model: { preset, hidden: c.model.preset === 'mlp' ? c.model.hidden : [64], activation } };
            return { ...c, model: { preset, activation: 'tanh' } };
          })
        }
      />
      {model.preset === 'mlp' && (
        <HiddenWidths
          widths={model.hidden}
          disabled={disabled}
          onChange={(hidden) => setDraft((c) => (c.model.preset === 'mlp' ? { ...c, model: { ...c.model, hidden } } : c))}
        />
      )}
      {model.preset !== 'logistic' && (
        <Select
          label="Activation"
          value={model.activation}
          disabled={disabled}
          options={[
            { value: 'relu', label: 'ReLU' },
            { value: 'tanh', label: 'tanh' },
            { value: 'sigmoid', label: 'sigmoid' },
          ]}
          onChange={(a) => setDraft((c) => (c.model.preset === 'logistic' ? c : { ...c, model: { ...c.model, activation: a } }))}
        />
      )}
    </Section>
  );
}

function TrainingSection({ disabled }: { disabled: boolean }) {
  const train = usePlayground((s) => s.draft.train);
  const seed = usePlayground((s) => s.draft.seed);
  const backend = usePlayground((s) => s.draft.engine.backend);
  const n = usePlayground(draftTrainSize);
  const setDraft = usePlayground((s) => s.setDraft);
  const setTrain = (patch: Partial<RunConfig['train']>) => setDraft((c) => ({ ...c, train: { ...c.train, ...patch } }));
  return (
    <Section title="Training">
      <Select
        label="Optimizer"
        value={train.optimizer}
        disabled={disabled}
        options={OPTIMIZERS.map((v) => ({ value: v, label: OPTIMIZER_LABELS[v] }))}
        onChange={(optimizer) => setTrain({ optimizer })}
      />
      <LearningRateField disabled={disabled} />
      {train.optimizer === 'sgd' && (
        <NumberField
          label="Momentum"
          value={train.momentum}
          step={0.05}
          disabled={disabled}
          validate={(v) => (v >= 0 && v < 1 ? null : 'Momentum must be in [0, 1)')}
          onChange={(momentum) => setTrain({ momentum })}
        />
      )}
      <NumberField
        label="Batch size"
        help={
          <>
            Expected examples per step (B); <Term k="q">sampling rate</Term> q = B/N{n ? ` with N = ${n}` : ''}.
          </>
        }
        value={train.batchSize}
        step={1}
        disabled={disabled}
        testId="batch-size"
        validate={(v) => {
          if (!(Number.isInteger(v) && v >= 1)) return 'Batch size must be a positive integer';
          // The tighter of the two bounds speaks.
          if (n !== undefined && v > n && n <= MAX_BATCH_SIZE) return `Batch size must be ≤ the training set size (${n})`;
          return v > MAX_BATCH_SIZE ? `Batch size must be ≤ ${MAX_BATCH_SIZE} (the largest batch a browser step handles)` : null;
        }}
        onChange={(batchSize) => setTrain({ batchSize })}
      />
      <NumberField
        label="Epochs"
        value={train.epochs}
        step={1}
        disabled={disabled}
        validate={(v) => (v > 0 && v <= 10_000 ? null : 'Epochs must be > 0 and ≤ 10000')}
        onChange={(epochs) => setTrain({ epochs })}
      />
      <NumberField
        label="Seed"
        help="Same seed: same data and initialisation. Batches follow it too, except in a private run with secure randomness."
        value={seed}
        step={1}
        disabled={disabled}
        validate={(v) => (Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? null : 'Seed must be an integer from 0 to 2^32−1')}
        onChange={(s) => setDraft((c) => ({ ...c, seed: s }))}
      />
      <Select
        label="Backend"
        help="Where training runs. Automatic times a few steps of the run on each backend when WebGPU is a software adapter or the model is small, and trains on the fastest (the badge above says by how much)."
        value={backend}
        disabled={disabled}
        options={BACKEND_CHOICES.map((v) => ({ value: v, label: BACKEND_LABELS[v] }))}
        onChange={(b) => setDraft((c) => ({ ...c, engine: { ...c.engine, backend: b } }))}
      />
    </Section>
  );
}

/** Why changing the learning rate mid-run leaves the privacy accounting alone (one line, shown where it applies). */
const LR_PRIVACY_NOTE = 'ε does not change: the learning rate only post-processes the noised gradient.';

/**
 * The one setting that may change while a run trains (as in TensorFlow Playground): while the active
 * run trains, Enter applies it from the next step. While it is paused, the field edits the next run
 * as every other field does (Train starts a new run beside it, to compare), and a button applies the
 * new rate to the paused run instead.
 */
function LearningRateField({ disabled }: { disabled: boolean }) {
  const learningRate = usePlayground((s) => s.draft.train.learningRate);
  const live = usePlayground(selectLiveLearningRateRun);
  const paused = usePlayground(selectPausedLearningRateRun);
  const setLearningRate = usePlayground((s) => s.setLearningRate);
  const applyToPaused = usePlayground((s) => s.applyLearningRateToPausedRun);
  const nextStep = (paused?.metrics[paused.metrics.length - 1]?.step ?? 0) + 1;
  return (
    <>
      <NumberField
        label="Learning rate"
        help={
          live
            ? `Enter applies it to the active run from its next step (momentum and Adam state kept). ${LR_PRIVACY_NOTE}`
            : 'With automatic clipping the learning rate absorbs R.'
        }
        value={learningRate}
        step={0.001}
        disabled={disabled && !live}
        testId="learning-rate"
        commitOnEnter={live !== undefined}
        validate={learningRateProblem}
        onChange={setLearningRate}
      />
      {paused && (
        <div className="lr-apply" data-testid="lr-apply">
          <button type="button" onClick={applyToPaused}>
            Apply {learningRate} to the paused run from step {nextStep}
          </button>
          <small className="help">
            Or press Train to start a new run beside it. Applying keeps its momentum and Adam state; {LR_PRIVACY_NOTE}
          </small>
        </div>
      )}
    </>
  );
}

function PrivacySection({ disabled }: { disabled: boolean }) {
  const p = usePlayground((s) => s.draft.privacy);
  const hidden = usePlayground((s) => s.hidden);
  const n = usePlayground(draftTrainSize);
  const run = usePlayground(selectActiveRun);
  const setDraft = usePlayground((s) => s.setDraft);
  const setP = (patch: Partial<PrivacyConfig>) => setDraft((c) => ({ ...c, privacy: { ...c.privacy, ...patch } }));
  const fn = clippingFunction(p.clipping);
  const off = disabled || !p.enabled;
  const refusedHide = usePlayground((s) => (s.hidden.includes('privacy') ? privacyHideRefusal(s.draft) : null));
  return (
    <Section title="Privacy">
      {refusedHide && (
        <p className="warning" role="status" data-testid="privacy-hide-refused">
          This classroom view hides the privacy section, but it stays visible because {refusedHide}.
        </p>
      )}
      <div className="field field-inline">
        <label>
          <input type="checkbox" checked={p.enabled} disabled={disabled} onChange={(e) => setP({ enabled: e.target.checked })} /> Private
          training (DP-SGD)
        </label>
        <small className="help">Off: the non-private baseline (no clipping, no noise).</small>
      </div>
      {!hidden.includes('clipping') && (
        <>
          <Select
            label="Clipping"
            help={
              <>
                {clippingHelp(fn)} <Term k="clipping">What is clipping?</Term>
              </>
            }
            testId="clipping"
            value={p.clipping}
            disabled={off}
            options={CLIPPING_OPTIONS}
            onChange={(clipping) => setP({ clipping })}
          />
          <p className="formula-line" data-testid="clip-formula" tabIndex={0} role="group" aria-label="Clipping formula">
            <Formula tex={fn.tex} />
          </p>
          {fn.usesR && (
            <NumberField
              label="Clipping threshold R"
              help={<Term k="R">What R does</Term>}
              value={p.maxGradNorm}
              step={0.1}
              disabled={off}
              testId="clip-norm"
              validate={(v) => (v > 0 ? null : 'R must be > 0')}
              onChange={(maxGradNorm) => setP({ maxGradNorm })}
            />
          )}
          {fn.usesGamma && (
            <NumberField
              label="Stability γ"
              help={
                <>
                  AUTO-S uses 1/(‖g‖+<Term k="gamma">γ</Term>); the paper&apos;s default is 0.01.
                </>
              }
              value={p.gamma}
              step={0.01}
              disabled={off}
              validate={(v) => (v > 0 ? null : 'γ must be > 0')}
              onChange={(gamma) => setP({ gamma })}
            />
          )}
          <Select
            label="Clipping style"
            help={styleHelp(fn)}
            value={p.style}
            disabled={off}
            options={[
              { value: 'flat', label: 'Flat (all layers together)' },
              { value: 'layer-wise', label: 'Layer-wise' },
            ]}
            onChange={(style) => setP({ style })}
          />
        </>
      )}
      {!hidden.includes('noise') && (
        <>
          <Select
            label="Noise set by"
            value={p.noise.mode}
            disabled={off}
            options={[
              { value: 'target', label: 'Target ε (σ calibrated)' },
              { value: 'sigma', label: 'Noise multiplier σ' },
            ]}
            onChange={(mode) => setP({ noise: mode === 'sigma' ? { mode, sigma: run?.summary?.sigma ?? 1 } : { mode, epsilon: 3 } })}
          />
          {p.noise.mode === 'sigma' ? (
            <NumberField
              label="σ"
              help={
                <>
                  {noiseStdHelp(fn)} <Term k="sigma">What is σ?</Term>
                </>
              }
              value={p.noise.sigma}
              step={0.1}
              disabled={off}
              testId="sigma"
              validate={(v) => (v >= SIGMA_MIN && v <= SIGMA_MAX ? null : `σ must be in [${SIGMA_MIN}, ${SIGMA_MAX}]`)}
              onChange={(sigma) => setP({ noise: { mode: 'sigma', sigma } })}
            />
          ) : (
            <NumberField
              label="Target ε"
              help={
                <>
                  {run?.config.privacy.enabled && run.summary?.sigma
                    ? `σ = ${run.summary.sigma.toPrecision(4)} for the current run.`
                    : 'σ is calibrated when the run starts.'}{' '}
                  <Term k="epsilon">What is ε?</Term>
                </>
              }
              value={p.noise.epsilon}
              step={0.5}
              disabled={off}
              testId="target-epsilon"
              validate={(v) => (v > 0 && v <= EPSILON_MAX ? null : `Target ε must be in (0, ${EPSILON_MAX}]`)}
              onChange={(epsilon) => setP({ noise: { mode: 'target', epsilon } })}
            />
          )}
          <NumberField
            label="δ"
            help={<Term k="delta">What is δ?</Term>}
            value={p.delta}
            step={1e-5}
            disabled={off}
            validate={(v) => (v > 0 && v < 1 ? null : 'δ must be in (0, 1)')}
            onChange={(delta) => setP({ delta })}
          />
          {p.enabled && n !== undefined && p.delta >= 1 / n && (
            <p className="warning" role="status">
              δ ≥ 1/N = {(1 / n).toPrecision(2)}: a mechanism could publish one whole record and still meet this δ.
            </p>
          )}
        </>
      )}
      {!hidden.includes('accountant') && (
        <Select
          label="Accountant"
          help={<Term k="accountants">PRV, RDP and GDP</Term>}
          value={p.accountant}
          disabled={off}
          options={ACCOUNTANTS.map((v) => ({ value: v, label: ACCOUNTANT_LABELS[v] }))}
          onChange={(accountant) => setP({ accountant })}
        />
      )}
      {p.accountant === 'gdp' && (
        <p className="warning">GDP (central limit theorem) can underestimate ε, by half on some configs: use PRV for reporting.</p>
      )}
      <Select
        label="Batches"
        help={<Term k="poisson">What is Poisson sampling?</Term>}
        value={p.sampling}
        disabled={off}
        options={[
          { value: 'poisson', label: 'Poisson sampling (accounted)' },
          { value: 'shuffle', label: 'Shuffled fixed size (not covered by the accountant)' },
        ]}
        onChange={(sampling) => setP({ sampling })}
      />
      <div className="field field-inline">
        <label>
          <input
            type="checkbox"
            checked={p.budgetEpsilon !== null}
            disabled={off}
            onChange={(e) => setP({ budgetEpsilon: e.target.checked ? (p.noise.mode === 'target' ? p.noise.epsilon : 3) : null })}
          />{' '}
          Hard privacy budget
        </label>
        <small className="help">Stop at the last step whose ε stays within the budget, even before the planned epochs.</small>
      </div>
      {p.budgetEpsilon !== null && (
        <NumberField
          label="Budget ε"
          value={p.budgetEpsilon}
          step={0.5}
          disabled={off}
          testId="budget-epsilon"
          validate={(v) => (v > 0 ? null : 'Budget ε must be > 0')}
          onChange={(budgetEpsilon) => setP({ budgetEpsilon })}
        />
      )}
      <div className="field field-inline">
        <label>
          <input type="checkbox" checked={p.secureNoise} disabled={off} onChange={(e) => setP({ secureNoise: e.target.checked })} /> Secure
          randomness
        </label>
        {p.secureNoise ? (
          <small className="help">
            Noise and batches come from the browser’s cryptographic generator; nothing random follows the seed.
          </small>
        ) : (
          <small className="help warning" data-testid="seeded-warning">
            Seeded (teaching): noise and batches follow the seed, so the run is reproducible. Not private against anyone who knows the seed,
            and the seed is in the link and run.json.
          </small>
        )}
      </div>
    </Section>
  );
}

function HiddenWidths(props: { widths: number[]; disabled?: boolean; onChange: (w: number[]) => void }) {
  return (
    <IntegerListField
      label="Hidden layers"
      help="Widths, comma separated (e.g. 128, 64)."
      value={props.widths}
      disabled={props.disabled}
      testId="hidden-widths"
      validate={(widths) =>
        widths.length >= 1 && widths.length <= 8 && widths.every((w) => w >= 1 && w <= 4096)
          ? null
          : 'Hidden layers: use 1–8 widths between 1 and 4096'
      }
      onChange={props.onChange}
    />
  );
}
