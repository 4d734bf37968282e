import { useEffect, useId, useState, type ReactNode } from 'react';

/** Ids a field's control points at: its own id and, when there is help or an error, what describes it. */
export interface FieldIds {
  id: string;
  describedBy: string | undefined;
}

/**
 * A labelled control with a one-line help text; every control in the panel uses it. The help text
 * and the error are tied to the control (aria-describedby), so a screen reader reads them with it.
 */
export function Field(props: { label: string; help?: ReactNode; error?: string; children: (ids: FieldIds) => ReactNode }) {
  const id = useId();
  const helpId = `${id}-help`;
  const errorId = `${id}-error`;
  const describedBy = [props.help ? helpId : '', props.error ? errorId : ''].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${props.error ? ' field-invalid' : ''}`}>
      <label htmlFor={id}>{props.label}</label>
      {props.children({ id, describedBy })}
      {props.help && (
        <small className="help" id={helpId}>
          {props.help}
        </small>
      )}
      {props.error && (
        <small className="field-error" id={errorId} role="alert">
          {props.error}
        </small>
      )}
    </div>
  );
}

export function Select<T extends string>(props: {
  label: string;
  help?: ReactNode;
  value: T;
  options: readonly { value: T; label: string }[];
  onChange: (v: T) => void;
  disabled?: boolean;
  testId?: string;
}) {
  return (
    <Field label={props.label} help={props.help}>
      {({ id, describedBy }) => (
        <select
          id={id}
          aria-describedby={describedBy}
          value={props.value}
          disabled={props.disabled}
          data-testid={props.testId}
          onChange={(e) => props.onChange(e.target.value as T)}
        >
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
 * A text input that keeps the user's text while they type and only commits parsed, valid values; an
 * invalid entry shows its message inline and leaves the config unchanged. Every text field of the
 * panel is one, so none can keep showing a value the next run will not use.
 */
function ParsedField<T>(props: {
  label: string;
  help?: ReactNode;
  value: T;
  format: (v: T) => string;
  /** The value of a text, or the message saying what is wrong with it. */
  parse: (text: string) => { value: T } | { problem: string };
  same: (a: T, b: T) => boolean;
  onChange: (v: T) => void;
  disabled?: boolean;
  testId?: string;
  input?: { type: 'number'; step: number | 'any' } | { type: 'text' };
  /** Commit a valid value on Enter or leaving the field, not on every keystroke (a change that acts at once). */
  commitOnEnter?: boolean;
}) {
  const [text, setText] = useState(() => props.format(props.value));
  const [error, setError] = useState<string | null>(null);
  // The field shows the value the next run will use: a value arriving from outside (a dataset's
  // defaults, a link, a file) replaces the user's text, and with it any message about that text.
  useEffect(() => {
    const parsed = props.parse(text);
    if ('value' in parsed && props.same(parsed.value, props.value)) return;
    setText(props.format(props.value));
    setError(null);
    // Only re-sync when the committed value changes from outside.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [props.value]);
  const input = props.input ?? { type: 'text' };
  const commit = () => {
    const parsed = props.parse(text);
    if ('value' in parsed && !props.same(parsed.value, props.value)) props.onChange(parsed.value);
  };
  return (
    <Field label={props.label} help={props.help} error={error ?? undefined}>
      {({ id, describedBy }) => (
        <input
          id={id}
          aria-describedby={describedBy}
          type={input.type}
          inputMode={input.type === 'number' ? 'decimal' : undefined}
          step={input.type === 'number' ? input.step : undefined}
          value={text}
          disabled={props.disabled}
          data-testid={props.testId}
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            const parsed = props.parse(e.target.value);
            const problem = 'problem' in parsed ? parsed.problem : null;
            setError(problem);
            if (!problem && 'value' in parsed && !props.commitOnEnter) props.onChange(parsed.value);
          }}
          onBlur={props.commitOnEnter ? () => commit() : undefined}
          onKeyDown={props.commitOnEnter ? (e) => e.key === 'Enter' && commit() : undefined}
        />
      )}
    </Field>
  );
}

/** A numeric input: see ParsedField. */
export function NumberField(props: {
  label: string;
  help?: ReactNode;
  value: number;
  onChange: (v: number) => void;
  validate?: (v: number) => string | null;
  step?: number;
  disabled?: boolean;
  testId?: string;
  commitOnEnter?: boolean;
}) {
  const { validate, label } = props;
  return (
    <ParsedField
      commitOnEnter={props.commitOnEnter}
      label={label}
      help={props.help}
      value={props.value}
      format={String}
      same={(a, b) => a === b}
      parse={(text) => {
        const v = text.trim() === '' ? NaN : Number(text);
        const problem = !Number.isFinite(v) ? `${label} must be a number` : (validate?.(v) ?? null);
        return problem ? { problem } : { value: v };
      }}
      onChange={props.onChange}
      disabled={props.disabled}
      testId={props.testId}
      input={{ type: 'number', step: props.step ?? 'any' }}
    />
  );
}

/** A comma-separated list of integers (e.g. layer widths): see ParsedField. */
export function IntegerListField(props: {
  label: string;
  help?: ReactNode;
  value: readonly number[];
  onChange: (v: number[]) => void;
  validate: (v: number[]) => string | null;
  disabled?: boolean;
  testId?: string;
}) {
  const { validate, label } = props;
  return (
    <ParsedField<readonly number[]>
      label={label}
      help={props.help}
      value={props.value}
      format={(v) => v.join(', ')}
      same={(a, b) => a.length === b.length && a.every((w, k) => w === b[k])}
      parse={(text) => {
        const items = text
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean);
        const values = items.map(Number);
        if (values.some((v) => !Number.isInteger(v))) return { problem: `${label}: use whole numbers separated by commas` };
        const problem = validate(values);
        return problem ? { problem } : { value: values };
      }}
      onChange={(v) => props.onChange([...v])}
      disabled={props.disabled}
      testId={props.testId}
    />
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
