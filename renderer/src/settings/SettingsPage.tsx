// Settings: Integrations (connect, reconnect, remove — admin), this station's settings, the sound of
// the desk's answers (any operator), the venue
// (its desks, pairing), printers (and where this station prints) and badge templates.
import {
  DEFAULT_FORGET_AFTER_DAYS,
  MAX_FORGET_AFTER_DAYS,
  MIN_FORGET_AFTER_DAYS,
} from '../../../shared/forget.ts';
import { useEffect, useId, useRef, useState } from 'react';
import type { FormEvent, RefObject } from 'react';
import type { Integration, ProviderKind } from '../../../shared/types.ts';
import { PROVIDER_LABEL } from '../../../shared/types.ts';
import { errorMessage, formatMoment } from '../ui/format.ts';
import { isAdmin, useStore } from '../app/use-store.ts';
import { StatusPill } from '../ui/StatusPill.tsx';
import { ConnectIntegrationDialog } from './ConnectIntegrationDialog.tsx';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';
import { InlineError } from '../ui/states.tsx';
import { SetPinDialog } from './PinDialogs.tsx';
import { PrintersSection, TemplatesSection } from '../printing/index.ts';
import { VenueSection } from '../venue/index.ts';
import { SoundSettings } from '../glance/index.ts';

export function SettingsPage() {
  const section = useStore((s) => (s.route.name === 'settings' ? s.route.section : null));
  const integrationsRef = useRef<HTMLHeadingElement>(null);
  const stationRef = useRef<HTMLHeadingElement>(null);
  const venueRef = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    const refs = { integrations: integrationsRef, station: stationRef, venue: venueRef };
    const target = section ? refs[section].current : null;
    if (target) {
      target.scrollIntoView({ block: 'start' });
      target.focus({ preventScroll: true });
    }
  }, [section]);

  return (
    <main className="page settings-page" aria-labelledby="settings-title">
      <div className="page-header">
        <h1 id="settings-title">Settings</h1>
      </div>
      <IntegrationsSection headingRef={integrationsRef} />
      <StationSection headingRef={stationRef} />
      <SoundSettings />
      <VenueSection headingRef={venueRef} />
      <PrintersSection />
      <TemplatesSection />
    </main>
  );
}

function IntegrationsSection({ headingRef }: { headingRef: RefObject<HTMLHeadingElement | null> }) {
  const integrations = useStore((s) => s.integrations);
  const credentialsEncrypted = useStore((s) => s.credentialsEncrypted);
  const admin = useStore(isAdmin);
  const [connecting, setConnecting] = useState<{ provider: ProviderKind; integration?: Integration } | null>(
    null,
  );
  const [removing, setRemoving] = useState<Integration | null>(null);

  return (
    <section className="settings-section" aria-labelledby="integrations-title">
      <div className="section-header">
        <h2 id="integrations-title" ref={headingRef} tabIndex={-1}>
          Integrations
        </h2>
        {admin ? (
          <div className="section-actions">
            <button
              type="button"
              className="button"
              onClick={() => setConnecting({ provider: 'eventbrite' })}
            >
              Connect Eventbrite
            </button>
            <button type="button" className="button" onClick={() => setConnecting({ provider: 'luma' })}>
              Connect Luma
            </button>
          </div>
        ) : null}
      </div>
      {!credentialsEncrypted ? (
        <p className="warning-text" data-testid="credentials-warning">
          Credentials are not encrypted on this machine
        </p>
      ) : null}
      {!admin ? (
        <p className="muted">
          Only an admin can connect, reconnect or remove accounts. Unlock admin to change them.
        </p>
      ) : null}
      {integrations.length === 0 ? (
        <p className="muted empty-inline">
          No integrations yet. Connect an Eventbrite or Luma account to import events.
        </p>
      ) : (
        <ul className="integration-list" aria-label="Integrations">
          {integrations.map((integration) => (
            <li key={integration.id} className="integration-card">
              <div className="integration-main">
                <span className="integration-provider">{PROVIDER_LABEL[integration.provider]}</span>
                <span className="integration-email">{integration.accountEmail}</span>
                {integration.accountName && integration.accountName !== integration.accountEmail ? (
                  <span className="muted small">{integration.accountName}</span>
                ) : null}
              </div>
              <div className="integration-status">
                {integration.status === 'CONNECTED' ? (
                  <StatusPill label="Connected" tone="green" />
                ) : (
                  <>
                    <StatusPill label="Disconnected" tone="grey" />
                    {integration.statusReason ? (
                      <span className="integration-reason">{integration.statusReason}</span>
                    ) : null}
                    <span className="muted small">
                      since{' '}
                      <time dateTime={integration.updatedAt}>{formatMoment(integration.updatedAt)}</time>
                    </span>
                  </>
                )}
              </div>
              {admin ? (
                <div className="integration-actions">
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setConnecting({ provider: integration.provider, integration })}
                  >
                    Reconnect
                  </button>
                  <button
                    type="button"
                    className="button button-small button-danger"
                    onClick={() => setRemoving(integration)}
                  >
                    Remove
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {connecting ? (
        <ConnectIntegrationDialog
          provider={connecting.provider}
          integration={connecting.integration}
          onClose={() => setConnecting(null)}
        />
      ) : null}
      {removing ? <RemoveIntegrationDialog integration={removing} onClose={() => setRemoving(null)} /> : null}
    </section>
  );
}

function RemoveIntegrationDialog({
  integration,
  onClose,
}: {
  integration: Integration;
  onClose: () => void;
}) {
  const removeIntegration = useStore((s) => s.removeIntegration);
  const toast = useStore((s) => s.toast);
  const provider = PROVIDER_LABEL[integration.provider];

  const confirm = async () => {
    await removeIntegration(integration.id);
    toast(`Removed ${provider} account ${integration.accountEmail}`, 'info');
  };

  return (
    <ConfirmDialog
      title="Remove integration"
      label="Remove"
      busyLabel="Removing…"
      danger
      onConfirm={confirm}
      onClose={onClose}
    >
      <p>
        Remove the {provider} account <span className="strong">{integration.accountEmail}</span> from this
        station? Its stored credential is deleted.
      </p>
    </ConfirmDialog>
  );
}

function StationSection({ headingRef }: { headingRef: RefObject<HTMLHeadingElement | null> }) {
  const settings = useStore((s) => s.settings);
  const admin = useStore(isAdmin);
  const pinSet = useStore((s) => s.session.pinSet);
  const updateSettings = useStore((s) => s.updateSettings);
  const toast = useStore((s) => s.toast);
  const [stationName, setStationName] = useState(settings.stationName);
  const [pollSeconds, setPollSeconds] = useState(String(Math.round(settings.pollIntervalMs / 1000)));
  const [lockMinutes, setLockMinutes] = useState(String(settings.adminLockMinutes));
  const forgetDaysOf = (s: typeof settings) => String(s.forgetAfterDays ?? DEFAULT_FORGET_AFTER_DAYS);
  const [forgetDays, setForgetDays] = useState(forgetDaysOf(settings));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pinDialog, setPinDialog] = useState(false);
  const ids = { name: useId(), poll: useId(), lock: useId(), forget: useId(), forgetHelp: useId() };

  // When the settings change elsewhere (another window, a save), show them.
  const [shown, setShown] = useState(settings);
  if (shown !== settings) {
    setShown(settings);
    setStationName(settings.stationName);
    setPollSeconds(String(Math.round(settings.pollIntervalMs / 1000)));
    setLockMinutes(String(settings.adminLockMinutes));
    setForgetDays(forgetDaysOf(settings));
  }

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = stationName.trim();
    const poll = Number(pollSeconds);
    const lock = Number(lockMinutes);
    const forgetAfterDays = Number(forgetDays);
    if (!name || name.length > 60) return setError('The station name is 1 to 60 characters.');
    if (!Number.isInteger(poll) || poll < 5 || poll > 3600)
      return setError('The poll interval is a whole number of seconds from 5 to 3600.');
    if (!Number.isInteger(lock) || lock < 1 || lock > 240)
      return setError('The admin lock is a whole number of minutes from 1 to 240.');
    if (
      !Number.isInteger(forgetAfterDays) ||
      forgetAfterDays < MIN_FORGET_AFTER_DAYS ||
      forgetAfterDays > MAX_FORGET_AFTER_DAYS
    )
      return setError(
        `Events are forgotten a whole number of days from ${MIN_FORGET_AFTER_DAYS} to ${MAX_FORGET_AFTER_DAYS} after they end.`,
      );
    setBusy(true);
    setError(null);
    try {
      // Printing (printer, auto-print) is saved from the Printers section as it changes.
      await updateSettings({
        stationName: name,
        pollIntervalMs: poll * 1000,
        adminLockMinutes: lock,
        forgetAfterDays,
      });
      toast('Settings saved', 'success');
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };

  const readOnly = !admin || busy;
  return (
    <section className="settings-section" aria-labelledby="station-title">
      <div className="section-header">
        <h2 id="station-title" ref={headingRef} tabIndex={-1}>
          Station settings
        </h2>
      </div>
      {!admin ? <p className="muted">Only an admin can change the station settings.</p> : null}
      <form className="form form-grid" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label className="field-label" htmlFor={ids.name}>
            Station name
          </label>
          <input
            id={ids.name}
            type="text"
            maxLength={60}
            value={stationName}
            onChange={(e) => setStationName(e.target.value)}
            disabled={readOnly}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.poll}>
            Poll interval (seconds)
          </label>
          <input
            id={ids.poll}
            type="number"
            min={5}
            max={3600}
            step={1}
            value={pollSeconds}
            onChange={(e) => setPollSeconds(e.target.value)}
            disabled={readOnly}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.lock}>
            Admin lock (minutes)
          </label>
          <input
            id={ids.lock}
            type="number"
            min={1}
            max={240}
            step={1}
            value={lockMinutes}
            onChange={(e) => setLockMinutes(e.target.value)}
            disabled={readOnly}
          />
        </div>
        <div className="field">
          <label className="field-label" htmlFor={ids.forget}>
            Forget events after they end (days)
          </label>
          <input
            id={ids.forget}
            type="number"
            min={MIN_FORGET_AFTER_DAYS}
            max={MAX_FORGET_AFTER_DAYS}
            step={1}
            value={forgetDays}
            onChange={(e) => setForgetDays(e.target.value)}
            disabled={readOnly}
            aria-describedby={ids.forgetHelp}
          />
          <p className="muted small field-help" id={ids.forgetHelp}>
            This desk forgets an event&apos;s attendees this many days after it ends (checked at start and
            daily); the counts stay.
          </p>
        </div>
        <InlineError message={error} />
        {admin ? (
          <div className="form-actions form-actions-start">
            <button type="submit" className="button button-primary" disabled={busy}>
              {busy ? 'Saving…' : 'Save settings'}
            </button>
            <button type="button" className="button" onClick={() => setPinDialog(true)}>
              {pinSet ? 'Change admin PIN' : 'Set admin PIN'}
            </button>
          </div>
        ) : null}
      </form>
      {pinDialog ? <SetPinDialog onClose={() => setPinDialog(false)} /> : null}
    </section>
  );
}
