// The admin's confirmations that change a venue: removing a desk (which rotates the secret),
// rotating the secret, and leaving.
import type { VenueDeskView } from '../../../shared/venue-desks.ts';
import { useStore } from '../app/use-store.ts';
import { ConfirmDialog } from '../ui/ConfirmDialog.tsx';

/** A rotation answers the desks the new secret did not reach: they join again with the new code. */
function rotationToast(prefix: string, notReached: string[]): string {
  return notReached.length === 0
    ? prefix
    : `${prefix}. Not reached: ${notReached.join(', ')}; join them again with the new pairing code`;
}

export function RemoveDeskDialog({ desk, onClose }: { desk: VenueDeskView; onClose: () => void }) {
  const removeVenueDesk = useStore((s) => s.removeVenueDesk);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    const notReached = await removeVenueDesk(desk.stationId);
    toast(
      rotationToast(`Removed ${desk.name} and rotated the secret`, notReached),
      notReached.length === 0 ? 'success' : 'info',
    );
  };
  return (
    <ConfirmDialog
      title="Remove desk"
      label="Remove"
      busyLabel="Removing…"
      danger
      onConfirm={confirm}
      onClose={onClose}
    >
      <p>
        Remove <span className="strong">{desk.name}</span> from the venue? The secret is rotated, so it can
        neither read nor write the venue's check-ins; the other desks get the new secret now.
      </p>
    </ConfirmDialog>
  );
}

export function RotateSecretDialog({ onClose }: { onClose: () => void }) {
  const rotateVenueSecret = useStore((s) => s.rotateVenueSecret);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    const notReached = await rotateVenueSecret();
    toast(
      rotationToast('The venue has a new secret and pairing code', notReached),
      notReached.length === 0 ? 'success' : 'info',
    );
  };
  return (
    <ConfirmDialog
      title="Rotate secret"
      label="Rotate"
      busyLabel="Rotating…"
      danger={false}
      onConfirm={confirm}
      onClose={onClose}
    >
      <p>
        Make a new venue secret? The desks online now get it at once; the old pairing code stops working, and
        a desk that is off joins again with the new one.
      </p>
    </ConfirmDialog>
  );
}

export function LeaveVenueDialog({ venueName, onClose }: { venueName: string; onClose: () => void }) {
  const leaveVenue = useStore((s) => s.leaveVenue);
  const toast = useStore((s) => s.toast);
  const confirm = async () => {
    await leaveVenue();
    toast(`Left the venue ${venueName}`, 'info');
  };
  return (
    <ConfirmDialog
      title="Leave venue"
      label="Leave"
      busyLabel="Leaving…"
      danger
      onConfirm={confirm}
      onClose={onClose}
    >
      <p>
        Leave <span className="strong">{venueName}</span>? This desk keeps its check-ins and works alone;
        joining again needs the pairing code.
      </p>
    </ConfirmDialog>
  );
}
