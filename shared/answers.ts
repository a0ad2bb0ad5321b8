// Registration answers: what a person answered to the organiser's questions at registration
// (Eventbrite's `answers`, Luma's `registration_answers`), kept as provider-owned text, and the
// event's local choices about them: which question feeds the badge's company line, which answers
// the desk shows at check-in. Pure: no Node, no DOM.
import { z } from 'zod';

/** One answered question, as text. Unanswered questions are not kept. */
export interface RegistrationAnswer {
  /** The provider's id of the question, when it gives one (both do today). */
  questionId: string | null;
  /** The question as the organiser worded it. */
  label: string;
  /** The provider's question type ('company', 'text', 'multiple_choice', …), when it gives one. */
  type: string | null;
  /** The answer as text: lists joined with ", ", a check box as Yes or No. */
  text: string;
}

/** Answers kept per person: far above any real registration form, a cap on what a provider or a peer can make us store. */
export const MAX_ANSWERS = 40;
export const MAX_ANSWER_TEXT = 500;
export const MAX_ANSWER_LABEL = 200;
export const MAX_QUESTION_ID = 100;
/** Questions an event's settings may name for the desk. */
export const MAX_DESK_QUESTIONS = 8;

/** How two answers (or an answer and a question) are the same question: the provider's id, else the label folded. */
export function questionKey(q: { questionId: string | null; label: string }): string {
  return q.questionId !== null && q.questionId !== '' ? `id:${q.questionId}` : `label:${foldLabel(q.label)}`;
}

/** "  Company name: *" -> "company name": case, surrounding punctuation and spaces do not make another question. */
export function foldLabel(label: string): string {
  return label
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^[\s:*?.]+|[\s:*?.]+$/g, '');
}

/** A question of the event, as Settings lists it. */
export interface EventQuestion {
  key: string;
  questionId: string | null;
  label: string;
  type: string | null;
  /** People of the event who answered it (0 for a question the provider listed that nobody answered yet). */
  answered: number;
}

/** The event's local choices about its answers (never overwritten by sync, never in a venue document). */
export interface EventAnswerSettings {
  /** The question whose answer is the badge's company line (its key); null: the provider's company. */
  companyQuestion: string | null;
  /** The questions whose answers the desk shows at check-in, in this order (their keys). */
  deskQuestions: string[];
}

/** What Settings and the desk read of an event's questions. */
export interface EventQuestionsView {
  questions: EventQuestion[];
  settings: EventAnswerSettings;
}

export const DEFAULT_ANSWER_SETTINGS: EventAnswerSettings = { companyQuestion: null, deskQuestions: [] };

const questionKeySchema = z
  .string()
  .min(4)
  .max(MAX_ANSWER_LABEL + 10)
  .regex(/^(id|label):/, 'a question key starts with id: or label:');

export const answerSettingsSchema = z
  .object({
    companyQuestion: questionKeySchema.nullable(),
    deskQuestions: z.array(questionKeySchema).max(MAX_DESK_QUESTIONS),
  })
  .strict();

/** The answer to the question `key` names, when the person gave one. */
export function answerTo(answers: readonly RegistrationAnswer[] | undefined, key: string): string | null {
  for (const a of answers ?? []) if (questionKey(a) === key) return a.text;
  return null;
}

/** The badge's company line: the chosen question's answer when the person gave one, else the provider's company. */
export function companyLine(
  providerCompany: string | null,
  answers: readonly RegistrationAnswer[] | undefined,
  companyQuestion: string | null,
): string | null {
  if (companyQuestion === null) return providerCompany;
  return answerTo(answers, companyQuestion) ?? providerCompany;
}

/** The answers the desk shows, in the settings' order; questions the person did not answer are left out. */
export function deskAnswers(
  answers: readonly RegistrationAnswer[] | undefined,
  deskQuestions: readonly string[],
): RegistrationAnswer[] {
  const out: RegistrationAnswer[] = [];
  for (const key of deskQuestions) {
    const found = (answers ?? []).find((a) => questionKey(a) === key);
    if (found) out.push(found);
  }
  return out;
}

/**
 * The event's questions for Settings: those the provider listed for the event first, then every
 * other question seen in the answers, each once, with how many people answered it.
 */
export function mergeQuestions(
  listed: readonly Omit<EventQuestion, 'key' | 'answered'>[],
  seen: readonly Omit<EventQuestion, 'key'>[],
): EventQuestion[] {
  const byKey = new Map<string, EventQuestion>();
  for (const q of listed) {
    const key = questionKey(q);
    if (!byKey.has(key)) byKey.set(key, { ...q, key, answered: 0 });
  }
  for (const q of seen) {
    const key = questionKey(q);
    const known = byKey.get(key);
    if (known) known.answered += q.answered;
    else byKey.set(key, { ...q, key });
  }
  return [...byKey.values()];
}

export const registrationAnswerSchema = z
  .object({
    questionId: z.string().min(1).max(MAX_QUESTION_ID).nullable(),
    label: z.string().min(1).max(MAX_ANSWER_LABEL),
    type: z.string().max(60).nullable(),
    text: z.string().min(1).max(MAX_ANSWER_TEXT),
  })
  .strict();

/**
 * The answers cut to what fits in `maxChars` characters of JSON: whole answers from the first,
 * and the first that does not fit whole, shortened with an ellipsis when enough room is left for
 * it to say something. What a person answered first (usually what the organiser asks first) is kept.
 */
export function fitAnswers(answers: readonly RegistrationAnswer[], maxChars: number): RegistrationAnswer[] {
  const out: RegistrationAnswer[] = [];
  let used = 2; // the brackets
  for (const a of answers) {
    const comma = out.length > 0 ? 1 : 0;
    const size = JSON.stringify(a).length + comma;
    if (used + size <= maxChars) {
      out.push(a);
      used += size;
      continue;
    }
    // The answer without its text, then as much of the text as the rest allows.
    const overhead = JSON.stringify({ ...a, text: '' }).length + comma;
    let chars = [...a.text];
    const fits = () => used + overhead + JSON.stringify(`${chars.join('')}…`).length - 2 <= maxChars;
    chars = chars.slice(0, Math.max(0, maxChars - used - overhead));
    while (chars.length > 0 && !fits()) chars.pop();
    const text = chars.join('').trimEnd();
    if (text.length >= 10) out.push({ ...a, text: `${text}…` });
    break;
  }
  return out;
}
