// The small states every screen shows the same way: still loading, could not load, and a form's
// error.
import type { ReactNode } from 'react';

/** A part of a page still on its way. */
export function Loading() {
  return <p className="muted small">Loading…</p>;
}

/** A part of a page that could not be read; the text says what and why. */
export function LoadError({ children }: { children: ReactNode }) {
  return <p className="inline-error-text">{children}</p>;
}

/** An inline error inside a form or dialog. */
export function InlineError({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <p className="inline-error" role="alert">
      {message}
    </p>
  );
}
