// Each event's registration questions and its local choices about the answers (which question
// feeds the badge's company line, which answers the desk shows at check-in): read by the event
// page's settings and by the desk, changed by an admin.
import type { EventAnswerSettings, EventQuestionsView } from '../../../shared/answers.ts';
import { errorMessage } from '../ui/format.ts';
import { Coalescer } from '../app/scheduling.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export interface AnswersSlice {
  /** By event id, as last read from main. */
  eventQuestions: Record<number, EventQuestionsView>;
  /** Reads the event's questions and settings (the settings panel, the desk on opening). */
  loadEventQuestions(eventId: number): Promise<void>;
  /** Stores the event's choices; toasts the outcome. Resolves true when saved. */
  saveAnswerSettings(eventId: number, settings: EventAnswerSettings): Promise<boolean>;
}

export const createAnswersSlice: SliceCreator<AnswersSlice> =
  ({ call, adminCall }) =>
  (set, get) => {
    const reads = new Coalescer();
    const keep = (eventId: number, view: EventQuestionsView) =>
      set((s) => ({ eventQuestions: { ...s.eventQuestions, [eventId]: view } }));
    return {
      eventQuestions: {},

      loadEventQuestions(eventId) {
        return reads.run(`questions:${eventId}`, async () => {
          keep(eventId, await call('events.questions', { eventId }));
        });
      },

      async saveAnswerSettings(eventId, settings) {
        try {
          keep(eventId, await adminCall('events.setAnswerSettings', { eventId, settings }));
          get().toast('Registration answer settings saved', 'success');
          return true;
        } catch (err) {
          get().toast(`Could not save the answer settings: ${errorMessage(err)}`, 'error');
          return false;
        }
      },
    };
  };
