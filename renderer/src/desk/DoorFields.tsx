// A labelled text field of the door's forms (walk-in, badge name): one place for the label, the id
// that ties it to the input, and the length a person may type.
import { useId } from 'react';

export function DoorField({
  label,
  value,
  onChange,
  maxLength,
  required = false,
  type = 'text',
  autoFocus = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  maxLength: number;
  required?: boolean;
  type?: 'text' | 'email';
  autoFocus?: boolean;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field-label" htmlFor={id}>
        {label}
        {required ? null : <span className="muted"> (optional)</span>}
      </label>
      <input
        id={id}
        type={type}
        required={required}
        maxLength={maxLength}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        {...(autoFocus ? { 'data-autofocus': true } : {})}
      />
    </div>
  );
}
