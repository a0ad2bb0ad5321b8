// Badge templates: a default for every badge and one per ticket type at most, the layout a badge
// prints with (its ticket type's template, else the default), and the live preview.
import type { MirrorStore } from '../db/store.ts';
import type { PrintStore } from '../db/print-store.ts';
import { AppError } from '../../shared/errors.ts';
import {
  DEFAULT_TEMPLATE,
  layoutBadge,
  selectTemplate,
  type BadgeLayout,
  type BadgePerson,
  type BadgeTemplate,
  type BadgeTemplateInput,
  type MeasureText,
} from '../../shared/badge.ts';
import { createMeasure, withQrMatrices } from './render.ts';

/** The person on a test print and on a preview without an attendee. */
export const TEST_BADGE_PERSON: BadgePerson = {
  firstName: 'Test',
  lastName: 'Badge',
  fullName: 'Test Badge',
  company: 'Badge Desk',
  ticketName: 'Test print',
  barcode: 'BADGE-DESK-TEST',
  vip: true,
};

export interface BadgeTemplatesDeps {
  store: MirrorStore;
  printStore: PrintStore;
  now(): string;
}

export class BadgeTemplates {
  private readonly measure: MeasureText = createMeasure();

  constructor(private readonly deps: BadgeTemplatesDeps) {
    if (!deps.printStore.listTemplates().some((t) => t.ticketName === null)) {
      deps.printStore.insertTemplate(DEFAULT_TEMPLATE, deps.now());
    }
  }

  list(): BadgeTemplate[] {
    return this.deps.printStore.listTemplates();
  }

  save(input: BadgeTemplateInput & { id?: number | undefined }): BadgeTemplate {
    const clash = this.list().find((t) => t.ticketName === input.ticketName && t.id !== input.id);
    if (clash) {
      throw new AppError(
        'CONFLICT',
        input.ticketName === null
          ? 'there is already a default template; edit it instead'
          : `"${clash.name}" is already the template for ${input.ticketName}`,
      );
    }
    if (input.id === undefined) return this.deps.printStore.insertTemplate(input, this.deps.now());
    const current = this.deps.printStore.getTemplate(input.id);
    if (!current) throw new AppError('NOT_FOUND', `template ${input.id} does not exist`);
    if (current.ticketName === null && input.ticketName !== null) {
      throw new AppError(
        'INVALID_STATE',
        'the default template stays the default; make a new template for a ticket type',
      );
    }
    return this.deps.printStore.updateTemplate(input.id, input, this.deps.now())!;
  }

  remove(templateId: number): void {
    const t = this.deps.printStore.getTemplate(templateId);
    if (!t) throw new AppError('NOT_FOUND', `template ${templateId} does not exist`);
    if (t.ticketName === null)
      throw new AppError('INVALID_STATE', 'the default template cannot be deleted: every badge needs one');
    this.deps.printStore.removeTemplate(templateId);
  }

  /** The layout a badge prints with: a draft being edited, the given template, else the attendee's variant. */
  layoutFor(
    person: BadgePerson,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'>,
  ): BadgeLayout {
    if (draft) return layoutBadge(draft, person, this.measure);
    const templates = this.list();
    const template =
      templateId !== undefined
        ? templates.find((t) => t.id === templateId)
        : selectTemplate(templates, person.ticketName);
    if (!template)
      throw new AppError(
        'NOT_FOUND',
        templateId !== undefined ? `template ${templateId} does not exist` : 'no badge template',
      );
    return layoutBadge(template, person, this.measure);
  }

  preview(
    eventId: number,
    attendeeId?: number,
    templateId?: number,
    draft?: Pick<BadgeTemplate, 'pageSize' | 'fields'>,
  ): BadgeLayout {
    let person: BadgePerson = { ...TEST_BADGE_PERSON, vip: true };
    if (attendeeId !== undefined) {
      const a = this.deps.store.getAttendee(attendeeId);
      if (!a || a.eventId !== eventId)
        throw new AppError('NOT_FOUND', `attendee ${attendeeId} is not on this event`);
      person = a;
    }
    return withQrMatrices(this.layoutFor(person, templateId, draft));
  }
}
