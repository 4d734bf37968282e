import { useEffect, useId, useState, type ReactNode } from 'react';

/** A labelled control with a one-line help text; every control in the panel uses it. */
export function Field(props: { label: string; help?: string; error?: string; children: (id: string) => ReactNode }) {
  const id = useId();
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children(id)}
      {props.help && <small className="help">{props.help}</small>}
      {props.error && (
        <small className="field-error" role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

export function Select<T extends string>(props: {
  label: string;
  help?: string;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  disabled?: boolean;
}) {
  return (
    <Field label={props.label} help={props.help}>
      {(id) => (
        <select id={id} value={props.value} disabled={props.disabled} onChange={(e) => props.onChange(e.target.value as T)}>
          {props.options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}

/**
 * A numeric input that keeps the user's text while they type and only commits parsed, valid numbers;
 * an invalid entry shows its message inline and leaves the config unchanged.
 */
export function NumberField(props: {
  label: string;
  help?: string;
  value: number;
  onChange: (v: number) => void;
  validate?: (v: number) => string | null;
  step?: number;
  disabled?: boolean;
  testId?: string;
}) {
  const [text, setText] = useState(String(props.value));
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (Number(text) !== props.value) setText(String(props.value));
    // Only re-sync when the committed value changes from outside.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  return (
    <Field label={props.label} help={props.help} error={error ?? undefined}>
      {(id) => (
        <input
          id={id}
          type="number"
          inputMode="decimal"
          step={props.step ?? 'any'}
          value={text}
          disabled={props.disabled}
          data-testid={props.testId}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            const v = e.target.value.trim() === '' ? NaN : Number(e.target.value);
            const problem = !Number.isFinite(v) ? `${props.label} must be a number` : (props.validate?.(v) ?? null);
            setError(problem);
            if (!problem) props.onChange(v);
          }}
        />
      )}
    </Field>
  );
}

export function Section(props: { title: string; children: ReactNode }) {
  return (
    <fieldset className="section">
      <legend>{props.title}</legend>
      {props.children}
    </fieldset>
  );
}
