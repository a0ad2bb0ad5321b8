// Connect (or reconnect) an Eventbrite or Luma account. Eventbrite: sign in through the browser
// (OAuth), or paste a private token; Luma: paste an API key. Main verifies the credential with
// the provider before storing it; the provider's refusal is shown here as it came.
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent } from 'react';
import type { Integration, ProviderKind } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { errorMessage } from '../ui/format.ts';
import { useStore } from '../app/use-store.ts';
import { Dialog, FormDialogActions, useDialogAction } from '../ui/Dialog.tsx';
import { InlineError } from '../ui/states.tsx';

export interface ConnectIntegrationDialogProps {
  provider: ProviderKind;
  /** Reconnect: the integration whose credential is re-entered. */
  integration?: Integration;
  onClose: () => void;
}

function openInBrowser(url: string): void {
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return;
    window.open(parsed.href, '_blank', 'noopener,noreferrer');
  } catch {
    // Not a URL: nothing to open; the address is shown as text.
  }
}

export function ConnectIntegrationDialog({ provider, integration, onClose }: ConnectIntegrationDialogProps) {
  const connectIntegration = useStore((s) => s.connectIntegration);
  const startOAuth = useStore((s) => s.startOAuth);
  const host = useStore((s) => s.host);
  const integrations = useStore((s) => s.integrations);
  const toast = useStore((s) => s.toast);
  const label = PROVIDER_LABEL[provider];
  const fieldLabel = provider === 'eventbrite' ? 'Private token' : 'API key';
  const [credential, setCredential] = useState('');
  const { busy, error, setError, run } = useDialogAction(onClose);
  const [oauth, setOauth] = useState<{
    state: 'idle' | 'starting' | 'waiting';
    url: string | null;
    error: string | null;
  }>({
    state: 'idle',
    url: null,
    error: null,
  });
  const before = useRef<Map<number, string> | null>(null);
  const fieldId = useId();
  const doneRef = useRef(false);

  // After "Sign in with Eventbrite": the account shows up (or comes back) through a push; then we are done.
  useEffect(() => {
    if (oauth.state !== 'waiting' || !before.current || doneRef.current) return;
    const known = before.current;
    const arrived = integrations.find(
      (i) =>
        i.provider === provider &&
        i.status === 'CONNECTED' &&
        known.get(i.id) !== `${i.status}:${i.updatedAt}`,
    );
    if (arrived) {
      doneRef.current = true;
      toast(`Connected ${label} account ${arrived.accountEmail}`, 'success');
      onClose();
    }
  }, [integrations, oauth.state, provider, label, toast, onClose]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const value = credential.trim();
    if (!value) {
      setError(`Enter the ${fieldLabel.toLowerCase()}.`);
      return;
    }
    await run(async () => {
      const connected = await connectIntegration(provider, value);
      doneRef.current = true;
      toast(`Connected ${label} account ${connected.accountEmail}`, 'success');
    });
  };

  const signIn = async () => {
    before.current = new Map(integrations.map((i) => [i.id, `${i.status}:${i.updatedAt}`]));
    setOauth({ state: 'starting', url: null, error: null });
    try {
      const url = await startOAuth();
      if (host === 'browser') openInBrowser(url);
      setOauth({ state: 'waiting', url, error: null });
    } catch (err) {
      setOauth({ state: 'idle', url: null, error: errorMessage(err) });
    }
  };

  const title = integration ? `Reconnect ${label}` : `Connect ${label}`;

  return (
    <Dialog title={title} onClose={onClose} busy={busy}>
      {integration ? (
        <p className="muted">
          Enter a new {fieldLabel.toLowerCase()} for{' '}
          <span className="strong">{integration.accountEmail}</span>. Events that sync through this account
          keep their check-ins.
        </p>
      ) : null}
      {provider === 'eventbrite' ? (
        <div className="oauth-block">
          <button
            type="button"
            className="button button-primary button-wide"
            onClick={() => void signIn()}
            disabled={busy || oauth.state === 'starting'}
          >
            Sign in with Eventbrite
          </button>
          {oauth.state === 'starting' ? <p className="muted">Opening Eventbrite…</p> : null}
          {oauth.state === 'waiting' ? (
            <div className="oauth-waiting" aria-live="polite">
              <p>Finish signing in in your browser…</p>
              {oauth.url ? (
                <p className="muted small">
                  If no browser window opened, open this address:{' '}
                  <span className="mono break">{oauth.url}</span>
                </p>
              ) : null}
            </div>
          ) : null}
          <InlineError message={oauth.error} />
          <p className="divider">
            <span>or use a private token</span>
          </p>
        </div>
      ) : null}
      <form className="form" onSubmit={submit}>
        <div className="field">
          <label className="field-label" htmlFor={fieldId}>
            {fieldLabel}
          </label>
          <input
            id={fieldId}
            data-autofocus={provider === 'luma' || integration ? true : undefined}
            type="password"
            autoComplete="off"
            spellCheck={false}
            maxLength={4096}
            value={credential}
            onChange={(e) => setCredential(e.target.value)}
            disabled={busy}
          />
          <span className="field-help muted small">
            {provider === 'eventbrite'
              ? 'Eventbrite → Account settings → Developer links → API keys → Private token.'
              : 'Luma → Settings → Developer → API keys.'}
          </span>
        </div>
        <InlineError message={error} />
        <div className="form-actions">
          <FormDialogActions onCancel={onClose} busy={busy} label="Connect" busyLabel="Connecting…" />
        </div>
      </form>
    </Dialog>
  );
}
