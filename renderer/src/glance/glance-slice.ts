// The station's sound for the answer at a glance: on or off, and its volume. Read once the app
// loads; any operator may turn it down (main keeps it with the station's settings).
import type { AnswerSound } from '../../../shared/glance.ts';
import { DEFAULT_ANSWER_SOUND } from '../../../shared/glance.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export interface GlanceSlice {
  answerSound: AnswerSound;
  setAnswerSound(sound: AnswerSound): Promise<void>;
}

export const createGlanceSlice: SliceCreator<GlanceSlice> =
  ({ call, signals }) =>
  (set) => {
    const refresh = () =>
      call('station.answerSound', {}).then(
        (answerSound) => set({ answerSound }),
        () => undefined,
      );
    signals.onRoute((_route, cause) => {
      if (cause === 'load') void refresh();
    });
    signals.onReconnect(() => void refresh());
    return {
      answerSound: DEFAULT_ANSWER_SOUND,
      async setAnswerSound(sound) {
        set({ answerSound: sound });
        set({ answerSound: await call('station.setAnswerSound', sound) });
      },
    };
  };
