// The desk's answer at a glance: the latest door outcome on the panel (a check-in or a scan),
// near full screen in its colour, with the person's ticket band and the outcome's sound.
import { useStore } from '../app/use-store.ts';
import { GlanceOverlay } from '../glance/index.ts';
import { glanceAnswerOf } from './desk-glance.ts';

export function DeskGlance() {
  const feedback = useStore((s) => s.desk?.feedback ?? null);
  return <GlanceOverlay answer={glanceAnswerOf(feedback)} />;
}
