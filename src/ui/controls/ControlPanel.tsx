import { OPTIMIZERS, SYNTHETIC_SETS, type RunConfig } from '../../config/runConfig';
import { usePlayground } from '../storeContext';
import { Field, NumberField, Section, Select } from './fields';

const SET_LABELS: Record<(typeof SYNTHETIC_SETS)[number], string> = {
  spirals: 'Two spirals',
  circle: 'Circle',
  xor: 'XOR',
  blobs: 'Gaussian blobs',
};

const OPTIMIZER_LABELS: Record<(typeof OPTIMIZERS)[number], string> = {
  sgd: 'SGD (momentum)',
  adam: 'Adam',
  adamw: 'AdamW',
  lamb: 'LAMB',
};

/** Data, model and training settings; edits go to the draft config, which the next run uses. */
export function ControlPanel() {
  const draft = usePlayground((s) => s.draft);
  const setDraft = usePlayground((s) => s.setDraft);
  const running = usePlayground((s) => (s.activeRunId ? s.runs[s.activeRunId]?.state === 'running' : false));
  const edit = (f: (c: RunConfig) => RunConfig) => setDraft(f);
  const data = draft.data;

  return (
    <form className="control-panel" aria-label="Settings" onSubmit={(e) => e.preventDefault()}>
      <Section title="Data">
        {data.source === 'synthetic' && (
          <>
            <Select
              label="Dataset"
              help="2D teaching sets; the boundary chart shows what the model learned."
              value={data.name}
              disabled={running}
              options={SYNTHETIC_SETS.map((v) => ({ value: v, label: SET_LABELS[v] }))}
              onChange={(name) => edit((c) => ({ ...c, data: { ...data, name } }))}
            />
            <NumberField
              label="Points"
              help="Examples in the set (train + test)."
              value={data.n}
              step={50}
              disabled={running}
              validate={(v) => (Number.isInteger(v) && v >= 20 && v <= 100_000 ? null : 'Points must be an integer from 20 to 100000')}
              onChange={(n) => edit((c) => ({ ...c, data: { ...data, n } }))}
            />
            <NumberField
              label="Noise"
              help="Standard deviation of the jitter added to each point."
              value={data.noise}
              step={0.05}
              disabled={running}
              validate={(v) => (v >= 0 && v <= 1 ? null : 'Noise must be between 0 and 1')}
              onChange={(noise) => edit((c) => ({ ...c, data: { ...data, noise } }))}
            />
          </>
        )}
      </Section>

      <Section title="Model">
        {draft.model.preset === 'mlp' && (
          <HiddenWidths
            widths={draft.model.hidden}
            disabled={running}
            onChange={(hidden) => edit((c) => (c.model.preset === 'mlp' ? { ...c, model: { ...c.model, hidden } } : c))}
          />
        )}
        {draft.model.preset !== 'logistic' && (
          <Select
            label="Activation"
            value={draft.model.activation}
            disabled={running}
            options={[
              { value: 'tanh', label: 'tanh' },
              { value: 'relu', label: 'ReLU' },
              { value: 'sigmoid', label: 'sigmoid' },
            ]}
            onChange={(activation) => edit((c) => (c.model.preset === 'logistic' ? c : { ...c, model: { ...c.model, activation } }))}
          />
        )}
      </Section>

      <Section title="Training">
        <Select
          label="Optimizer"
          value={draft.train.optimizer}
          disabled={running}
          options={OPTIMIZERS.map((v) => ({ value: v, label: OPTIMIZER_LABELS[v] }))}
          onChange={(optimizer) => edit((c) => ({ ...c, train: { ...c.train, optimizer } }))}
        />
        <NumberField
          label="Learning rate"
          value={draft.train.learningRate}
          step={0.001}
          disabled={running}
          testId="learning-rate"
          validate={(v) => (v > 0 && v <= 100 ? null : 'Learning rate must be > 0 and ≤ 100')}
          onChange={(learningRate) => edit((c) => ({ ...c, train: { ...c.train, learningRate } }))}
        />
        <NumberField
          label="Batch size"
          help="Expected examples per step."
          value={draft.train.batchSize}
          step={1}
          disabled={running}
          validate={(v) => (Number.isInteger(v) && v >= 1 ? null : 'Batch size must be a positive integer')}
          onChange={(batchSize) => edit((c) => ({ ...c, train: { ...c.train, batchSize } }))}
        />
        <NumberField
          label="Epochs"
          value={draft.train.epochs}
          step={1}
          disabled={running}
          validate={(v) => (v > 0 && v <= 10_000 ? null : 'Epochs must be > 0 and ≤ 10000')}
          onChange={(epochs) => edit((c) => ({ ...c, train: { ...c.train, epochs } }))}
        />
        <NumberField
          label="Seed"
          help="Same seed, same data, initialisation and batches."
          value={draft.seed}
          step={1}
          disabled={running}
          validate={(v) => (Number.isInteger(v) && v >= 0 && v < 2 ** 32 ? null : 'Seed must be an integer from 0 to 2^32−1')}
          onChange={(seed) => edit((c) => ({ ...c, seed }))}
        />
      </Section>
    </form>
  );
}

function HiddenWidths(props: { widths: number[]; disabled?: boolean; onChange: (w: number[]) => void }) {
  return (
    <Field label="Hidden layers" help="Widths, comma separated (e.g. 32, 32).">
      {(id) => (
        <input
          id={id}
          defaultValue={props.widths.join(', ')}
          disabled={props.disabled}
          onChange={(e) => {
            const parts = e.target.value.split(',').map((s) => s.trim()).filter(Boolean);
            const widths = parts.map(Number);
            const ok = widths.length >= 1 && widths.length <= 8 && widths.every((w) => Number.isInteger(w) && w >= 1 && w <= 4096);
            e.target.setCustomValidity(ok ? '' : 'Use 1–8 integer widths between 1 and 4096');
            if (ok) props.onChange(widths);
          }}
        />
      )}
    </Field>
  );
}
