// The event's registration questions and its local choices about the answers: which question
// feeds the badge's company line, which answers the desk shows at check-in. Anyone may read them
// (the desk shows the answers); only an admin changes them.
import type { MirrorStore } from '../db/store.ts';
import type { CoreEvents } from '../ground/events.ts';
import { AppError } from '../../shared/errors.ts';
import type { EventAnswerSettings, EventQuestionsView } from '../../shared/answers.ts';
import type { Actor } from '../../shared/types.ts';
import { requireAdmin, requireEventName } from './guards.ts';

export interface AnswerHandlersDeps {
  store: MirrorStore;
  events: CoreEvents;
  now(): string;
}

export function createAnswerHandlers({ store, events, now }: AnswerHandlersDeps) {
  const view = (eventId: number): EventQuestionsView => ({
    questions: store.eventQuestions(eventId),
    settings: store.answerSettings(eventId),
  });
  return {
    eventQuestions(eventId: number): EventQuestionsView {
      requireEventName(store, eventId);
      return view(eventId);
    },

    /**
     * Stores the event's choices. Only questions of the event may be named, each once. The rows
     * whose company line changes are told to the desk and the attendee list.
     */
    setAnswerSettings(actor: Actor, eventId: number, settings: EventAnswerSettings): EventQuestionsView {
      requireAdmin(actor);
      requireEventName(store, eventId);
      const known = new Set(store.eventQuestions(eventId).map((q) => q.key));
      const named = [
        ...settings.deskQuestions,
        ...(settings.companyQuestion ? [settings.companyQuestion] : []),
      ];
      const unknown = named.find((key) => !known.has(key));
      if (unknown !== undefined)
        throw new AppError('INVALID_INPUT', `this event has no question ${JSON.stringify(unknown)}`);
      if (new Set(settings.deskQuestions).size !== settings.deskQuestions.length)
        throw new AppError('INVALID_INPUT', 'a question is shown at the desk once');
      const changed = store.saveAnswerSettings(eventId, settings, now());
      if (changed.length) events.emit('attendeesChanged', { eventId, attendeeIds: changed });
      return view(eventId);
    },
  };
}
