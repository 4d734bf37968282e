import { useRef, useState, type DragEvent } from 'react';
import { mnistDefaults, SYNTHETIC_SETS, syntheticDefaults, type RunConfig } from '../../config/runConfig';
import { checkImportSizes } from '../../data/limits';
import { usePlayground } from '../storeContext';
import { NumberField, Section, Select } from './fields';

const SET_LABELS: Record<(typeof SYNTHETIC_SETS)[number], string> = {
  spirals: 'Two spirals (2D)',
  circle: 'Circle (2D)',
  xor: 'XOR (2D)',
  blobs: 'Gaussian blobs (2D)',
};

/** Dataset choice, synthetic-set parameters, and importing IDX / CIFAR-10 / CSV files. */
export function DataSection({ disabled }: { disabled: boolean }) {
  const draft = usePlayground((s) => s.draft);
  const setDraft = usePlayground((s) => s.setDraft);
  const imported = usePlayground((s) => s.imported);
  const importing = usePlayground((s) => s.importing);
  const importError = usePlayground((s) => s.importError);
  const importFiles = usePlayground((s) => s.importFiles);
  const fileInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  /** Files refused by their size, before they were read (the worker reports every other problem). */
  const [sizeError, setSizeError] = useState<string | null>(null);
  const data = draft.data;

  const value = data.source === 'synthetic' ? data.name : data.source === 'mnist' ? 'mnist' : `imported:${data.id}`;
  const options = [
    { value: 'mnist', label: 'MNIST digits (embedded, 8k/2k)' },
    ...SYNTHETIC_SETS.map((v) => ({ value: v, label: SET_LABELS[v] })),
    ...imported.map((d) => ({ value: `imported:${d.id}`, label: `${d.meta.name} (imported)` })),
  ];

  const choose = (v: string) =>
    setDraft((c): RunConfig => {
      if (v === 'mnist') return { ...c, ...mnistDefaults() };
      if (v.startsWith('imported:')) {
        const d = imported.find((i) => `imported:${i.id}` === v);
        if (!d) return c;
        const isImage = d.meta.inputShape.length === 3;
        return {
          ...c,
          data: { source: 'imported', id: d.id, name: d.meta.name },
          model: isImage ? mnistDefaults().model : { preset: 'mlp', hidden: [64], activation: 'relu' },
          train: { ...mnistDefaults().train, batchSize: Math.min(256, Math.max(1, Math.floor(d.meta.trainSize / 10))) },
        };
      }
      const name = v as (typeof SYNTHETIC_SETS)[number];
      // Between 2D sets keep the user's model, training settings, size and noise.
      if (c.data.source === 'synthetic') return { ...c, data: { ...c.data, name } };
      return { ...c, ...syntheticDefaults(name) };
    });

  const readFiles = async (list: FileList | File[]) => {
    const chosen = Array.from(list);
    try {
      checkImportSizes(chosen.map((f) => ({ name: f.webkitRelativePath || f.name, size: f.size })));
      setSizeError(null);
    } catch (e) {
      setSizeError(e instanceof Error ? e.message : String(e));
      return;
    }
    const files = await Promise.all(
      chosen.map(async (f) => ({ name: f.webkitRelativePath || f.name, bytes: new Uint8Array(await f.arrayBuffer()) })),
    );
    importFiles(files);
  };

  const onDrop = (e: DragEvent) => {
    e.preventDefault();
    setDragging(false);
    if (e.dataTransfer.files.length) void readFiles(e.dataTransfer.files);
  };

  const meta = data.source === 'imported' ? imported.find((d) => d.id === data.id) : undefined;

  return (
    <Section title="Data">
      <Select
        label="Dataset"
        help="MNIST works offline; 2D sets show a decision boundary."
        value={value}
        disabled={disabled}
        options={options}
        onChange={choose}
      />
      {data.source === 'synthetic' && (
        <>
          <NumberField
            label="Points"
            help="Examples in the set (train + test)."
            value={data.n}
            step={50}
            disabled={disabled}
            validate={(v) => (Number.isInteger(v) && v >= 20 && v <= 100_000 ? null : 'Points must be an integer from 20 to 100000')}
            onChange={(n) => setDraft((c) => (c.data.source === 'synthetic' ? { ...c, data: { ...c.data, n } } : c))}
          />
          <NumberField
            label="Noise"
            help="Standard deviation of the jitter added to each point."
            value={data.noise}
            step={0.05}
            disabled={disabled}
            validate={(v) => (v >= 0 && v <= 1 ? null : 'Noise must be between 0 and 1')}
            onChange={(noise) => setDraft((c) => (c.data.source === 'synthetic' ? { ...c, data: { ...c.data, noise } } : c))}
          />
          <NumberField
            label="Test share"
            help="Fraction of the points held out as the test set."
            value={data.testFraction}
            step={0.05}
            disabled={disabled}
            validate={(v) => (v > 0 && v < 1 ? null : 'Test share must be between 0 and 1 (exclusive)')}
            onChange={(testFraction) => setDraft((c) => (c.data.source === 'synthetic' ? { ...c, data: { ...c.data, testFraction } } : c))}
          />
        </>
      )}
      {meta && (
        <p className="help" data-testid="imported-meta">
          {meta.format.toUpperCase()} · {meta.meta.trainSize} train / {meta.meta.testSize} test · shape [{meta.meta.inputShape.join('×')}] ·{' '}
          {meta.meta.numClasses} classes
          {meta.notes.map((n) => (
            <span key={n}>
              <br />
              {n}
            </span>
          ))}
        </p>
      )}
      <div
        className={`dropzone${dragging ? ' dropzone-active' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setDragging(true);
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="dropzone"
      >
        <button type="button" disabled={disabled || importing} onClick={() => fileInput.current?.click()}>
          {importing ? 'Importing…' : 'Import files…'}
        </button>
        <small className="help">or drop IDX (.gz) pairs, CIFAR-10 .bin batches or a CSV here. Files stay on this device.</small>
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          data-testid="import-input"
          aria-label="Choose files to import"
          accept=".gz,.idx,.bin,.csv,.ubyte,*"
          onChange={(e) => {
            if (e.target.files?.length) void readFiles(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {(sizeError ?? importError) && (
        <p className="field-error" role="alert" data-testid="import-error">
          {sizeError ?? importError}
        </p>
      )}
    </Section>
  );
}
