// Registration answers as both providers send them, read leniently (docs/PROVIDERS.md "Custom
// questions", "Company and job title"): an answer of a type we do not know, a `value` that is an
// object, a list or null, a question nobody answered, all map to what can be read of them and
// never fail the page. Also the one rule for finding the company and the job title among them.
import {
  MAX_ANSWERS,
  MAX_ANSWER_LABEL,
  MAX_ANSWER_TEXT,
  MAX_QUESTION_ID,
  foldLabel,
  type RegistrationAnswer,
} from '../../shared/answers.ts';
import { cleanText } from './response.ts';

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Text of a scalar field (ids may be numbers); null for anything else. */
function scalarText(value: unknown, maxLength: number): string | null {
  if (typeof value === 'string') return cleanText(value, maxLength);
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

/**
 * An answer's value as text: a string as it is, a number as digits, a check box as Yes or No, a
 * list of options joined with ", ". An object or null says nothing we can show: null.
 */
export function answerValueText(value: unknown): string | null {
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  if (Array.isArray(value)) {
    const parts = value
      .map((item) => (typeof item === 'boolean' ? (item ? 'Yes' : 'No') : scalarText(item, MAX_ANSWER_TEXT)))
      .filter((part): part is string => part !== null);
    return cleanText(parts.join(', '), MAX_ANSWER_TEXT);
  }
  return scalarText(value, MAX_ANSWER_TEXT);
}

/** The parts of Luma's company question (`value {company, job_title}`, `answer_company`, `answer_job_title`). */
export interface CompanyAnswer {
  company: string | null;
  jobTitle: string | null;
}

/** What a record's answers give: the answers as text, and the company question's parts when there is one. */
export interface ReadAnswers {
  answers: RegistrationAnswer[];
  /** From the provider's own company question (Luma's `question_type: "company"`), found by its type. */
  companyQuestion: CompanyAnswer | null;
}

/** The first text of these candidates, cleaned. */
function firstScalar(...values: unknown[]): string | null {
  for (const v of values) {
    const text = scalarText(v, MAX_ANSWER_TEXT);
    if (text !== null) return text;
  }
  return null;
}

/**
 * Luma's `registration_answers`: `{label, question_id, question_type, answer, value}`, and for
 * its company question also `answer_company`, `answer_job_title` and `value {company, job_title}`.
 * `answer` is read first, then `value`.
 */
export function readLumaAnswers(raw: unknown): ReadAnswers {
  const answers: RegistrationAnswer[] = [];
  let companyQuestion: CompanyAnswer | null = null;
  for (const entry of Array.isArray(raw) ? raw : []) {
    if (!isRecord(entry)) continue;
    const type = scalarText(entry.question_type, 60);
    const label = scalarText(entry.label, MAX_ANSWER_LABEL);
    let text: string | null;
    if (type?.toLowerCase() === 'company') {
      const value = isRecord(entry.value) ? entry.value : {};
      const company = firstScalar(entry.answer_company, value.company, entry.answer);
      const jobTitle = firstScalar(entry.answer_job_title, value.job_title);
      // The first company question answered wins; an unanswered one leaves the others to say.
      if (companyQuestion === null && (company !== null || jobTitle !== null))
        companyQuestion = { company, jobTitle };
      text = company;
    } else {
      text = answerValueText(entry.answer) ?? answerValueText(entry.value);
    }
    pushAnswer(answers, entry.question_id, label, type, text);
  }
  return { answers, companyQuestion };
}

/** Luma's `registration_questions` of an event: `{id, label, question_type}` (the company question may also collect a job title). */
export function readLumaQuestions(
  raw: unknown,
): { questionId: string | null; label: string; type: string | null }[] {
  const out: { questionId: string | null; label: string; type: string | null }[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    if (!isRecord(entry) || out.length >= MAX_ANSWERS) continue;
    const questionId = scalarText(entry.id ?? entry.question_id, MAX_QUESTION_ID);
    const label =
      scalarText(entry.label, MAX_ANSWER_LABEL) ?? (questionId === null ? null : `Question ${questionId}`);
    if (label !== null) out.push({ questionId, label, type: scalarText(entry.question_type, 60) });
  }
  return out;
}

/** Eventbrite's `answers`: `{question, question_id, type, answer}`; an unanswered question has no `answer`. */
export function readEventbriteAnswers(raw: unknown): RegistrationAnswer[] {
  const answers: RegistrationAnswer[] = [];
  for (const entry of Array.isArray(raw) ? raw : []) {
    if (!isRecord(entry)) continue;
    pushAnswer(
      answers,
      entry.question_id,
      scalarText(entry.question, MAX_ANSWER_LABEL),
      scalarText(entry.type, 60),
      answerValueText(entry.answer),
    );
  }
  return answers;
}

function pushAnswer(
  answers: RegistrationAnswer[],
  rawQuestionId: unknown,
  label: string | null,
  type: string | null,
  text: string | null,
): void {
  if (text === null || answers.length >= MAX_ANSWERS) return;
  const questionId = scalarText(rawQuestionId, MAX_QUESTION_ID);
  // A question without a label is named by its id (Settings must show something).
  const shownLabel = label ?? (questionId === null ? null : `Question ${questionId}`);
  if (shownLabel === null) return;
  answers.push({ questionId, label: shownLabel, type, text });
}

const COMPANY_LABELS = new Set([
  'company',
  'company name',
  'organization',
  'organisation',
  'organization name',
  'organisation name',
  'employer',
  'affiliation',
  'what company do you work for',
  'where do you work',
]);
const JOB_TITLE_LABELS = new Set([
  'job title',
  'title',
  'role',
  'position',
  'job',
  'what is your job title',
  'what is your role',
]);
const COMPANY_TYPES = new Set(['company', 'company_name']);
const JOB_TITLE_TYPES = new Set(['job_title', 'job-title']);

/** A label as the matching reads it: folded, without "your" ("Your company" is "company"). */
function labelWords(label: string): string {
  return foldLabel(label).replace(/^your /, '');
}

/** The first answer recognised as the company: by its type, then by its label. */
export function companyFromAnswers(answers: readonly RegistrationAnswer[]): string | null {
  return recognised(answers, COMPANY_TYPES, COMPANY_LABELS);
}

/** The first answer recognised as the job title: by its type, then by its label. */
export function jobTitleFromAnswers(answers: readonly RegistrationAnswer[]): string | null {
  return recognised(answers, JOB_TITLE_TYPES, JOB_TITLE_LABELS);
}

function recognised(
  answers: readonly RegistrationAnswer[],
  types: ReadonlySet<string>,
  labels: ReadonlySet<string>,
): string | null {
  const byType = answers.find((a) => a.type !== null && types.has(a.type.toLowerCase()));
  if (byType) return cleanText(byType.text);
  const byLabel = answers.find((a) => labels.has(labelWords(a.label)));
  return byLabel ? cleanText(byLabel.text) : null;
}
