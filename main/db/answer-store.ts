// The event's local choices about registration answers (event_answer_settings): which question
// feeds the company line, which answers the desk shows. Local state: a sync never writes it, and
// it never travels in a venue document. Also the questions the provider listed for the event.
import type { Db } from './open.ts';
import {
  DEFAULT_ANSWER_SETTINGS,
  MAX_ANSWER_LABEL,
  answerSettingsSchema,
  type EventAnswerSettings,
  type EventQuestion,
} from '../../shared/answers.ts';

type ListedQuestion = Omit<EventQuestion, 'key' | 'answered'>;

export class AnswerStore {
  private readonly read;
  /** Read on every page a sync writes: kept, and invalidated when the settings change. */
  private readonly cache = new Map<number, EventAnswerSettings>();

  constructor(private readonly db: Db) {
    this.read = db.prepare<[number], { company_question: string | null; desk_questions: string }>(
      'SELECT company_question, desk_questions FROM event_answer_settings WHERE event_id = ?',
    );
  }

  settings(eventId: number): EventAnswerSettings {
    const cached = this.cache.get(eventId);
    if (cached) return cached;
    const row = this.read.get(eventId);
    let settings = DEFAULT_ANSWER_SETTINGS;
    if (row) {
      // Only this code writes the row; one it cannot read is as good as none.
      let deskQuestions: unknown = [];
      try {
        deskQuestions = JSON.parse(row.desk_questions);
      } catch {
        deskQuestions = [];
      }
      const parsed = answerSettingsSchema.safeParse({ companyQuestion: row.company_question, deskQuestions });
      if (parsed.success) settings = parsed.data;
    }
    this.cache.set(eventId, settings);
    return settings;
  }

  /** Stores the settings (validated by the caller against answerSettingsSchema). */
  saveSettings(eventId: number, settings: EventAnswerSettings, now: string): void {
    this.db
      .prepare(
        `INSERT INTO event_answer_settings (event_id, company_question, desk_questions, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (event_id) DO UPDATE SET company_question = excluded.company_question,
           desk_questions = excluded.desk_questions, updated_at = excluded.updated_at`,
      )
      .run(eventId, settings.companyQuestion, JSON.stringify(settings.deskQuestions), now);
    // Read again from the table: a transaction around this that rolls back leaves no stale copy.
    this.cache.delete(eventId);
  }

  /** The registration questions the provider listed for the event (Luma), in its order. */
  listedQuestions(eventId: number): ListedQuestion[] {
    const row = this.db
      .prepare<[number], { questions: string | null }>('SELECT questions FROM events WHERE id = ?')
      .get(eventId);
    if (!row?.questions) return [];
    try {
      const parsed: unknown = JSON.parse(row.questions);
      return (Array.isArray(parsed) ? parsed : []).filter(
        (q): q is ListedQuestion =>
          typeof q === 'object' &&
          q !== null &&
          typeof (q as ListedQuestion).label === 'string' &&
          (q as ListedQuestion).label.length <= MAX_ANSWER_LABEL,
      );
    } catch {
      return [];
    }
  }
}
