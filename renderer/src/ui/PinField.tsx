// A labelled PIN input: hidden digits, a numeric keypad on touch screens, never autofilled.
// Every admin PIN prompt (unlocking, setting the PIN, leaving a kiosk) uses it.
import { MAX_PIN_DIGITS } from '../../../shared/pin.ts';

export function PinField({
  label,
  value,
  onChange,
  autoFocus = false,
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  autoFocus?: boolean;
}) {
  return (
    <label className="field">
      <span className="field-label">{label}</span>
      <input
        data-autofocus={autoFocus ? true : undefined}
        type="password"
        inputMode="numeric"
        autoComplete="off"
        maxLength={MAX_PIN_DIGITS}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </label>
  );
}
