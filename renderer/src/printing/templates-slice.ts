// Badge templates (settings): the list, saving and removing them, and the preview of a layout.
import type { ChannelInput } from '../../../shared/ipc-contract.ts';
import type { BadgeLayout, BadgeTemplate, BadgeTemplateInput } from '../../../shared/badge.ts';
import { MirroredList, upsertById } from '../app/lists.ts';
import type { SliceCreator } from '../app/store-kit.ts';

export interface TemplatesSlice {
  /** Badge templates; null until the first answer. */
  templates: BadgeTemplate[] | null;
  refreshTemplates(): Promise<void>;
  saveTemplate(template: BadgeTemplateInput & { id?: number }): Promise<BadgeTemplate>;
  removeTemplate(templateId: number): Promise<void>;
  previewBadge(input: ChannelInput<'badges.preview'>): Promise<BadgeLayout>;
  /** Ticket type names known from every event's statistics (for the template form's suggestions). */
  knownTicketNames(): Promise<string[]>;
  /** The registration questions of the first events, by their wording: the template form suggests them. */
  knownQuestionLabels(): Promise<string[]>;
}

/** The template form suggests ticket names from at most this many events. */
const TICKET_NAME_EVENTS = 20;

export const createTemplatesSlice: SliceCreator<TemplatesSlice> =
  ({ call, adminCall, signals }) =>
  (set, get) => {
    const templateList = new MirroredList(
      'templates',
      () => call('templates.list', {}),
      () => get().templates,
      (list) => set({ templates: list }),
    );

    signals.onRoute((route) => {
      if (route.name === 'settings') void templateList.refresh();
    });

    return {
      templates: null,

      refreshTemplates() {
        return templateList.refresh();
      },

      async saveTemplate(template) {
        const saved = await adminCall('templates.save', template);
        templateList.edit((list) => upsertById(list, saved));
        return saved;
      },

      async removeTemplate(templateId) {
        await adminCall('templates.remove', { templateId });
        templateList.edit((list) => list.filter((t) => t.id !== templateId));
      },

      previewBadge(input) {
        return call('badges.preview', input);
      },

      async knownTicketNames() {
        const names = new Set<string>();
        const events = get().events.slice(0, TICKET_NAME_EVENTS);
        const answers = await Promise.all(
          events.map((e) => call('desk.stats', { eventId: e.id }).catch(() => null)),
        );
        for (const stats of answers)
          for (const t of stats?.byTicket ?? []) if (t.ticketName) names.add(t.ticketName);
        return [...names].sort((a, b) => a.localeCompare(b));
      },

      async knownQuestionLabels() {
        const labels = new Set<string>();
        const events = get().events.slice(0, TICKET_NAME_EVENTS);
        const answers = await Promise.all(
          events.map((e) => call('events.questions', { eventId: e.id }).catch(() => null)),
        );
        for (const view of answers) for (const q of view?.questions ?? []) labels.add(q.label);
        return [...labels].sort((a, b) => a.localeCompare(b));
      },
    };
  };
