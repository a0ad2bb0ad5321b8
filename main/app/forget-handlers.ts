// Forgetting an event on this desk at the IPC boundary (the rules: main/core/forgetting.ts). The
// desk's CSV exports are noted on their way out, so a file the desktop app then saves is one the
// desk knows it wrote, and removes when it forgets the event.
import type { BadgeDeskCore } from '../core/create-core.ts';
import type { Actor } from '../../shared/types.ts';
import type { ChannelInput } from '../../shared/ipc-contract.ts';

export function createForgetHandlers(core: BadgeDeskCore) {
  return {
    'forget.check': ({ eventId }: ChannelInput<'forget.check'>, actor: Actor) =>
      core.forget.check(actor, eventId),
    'forget.exportCheckIns': ({ eventId }: ChannelInput<'forget.exportCheckIns'>, actor: Actor) =>
      core.forget.exportCheckIns(actor, eventId),
    'forget.event': ({ eventId }: ChannelInput<'forget.event'>, actor: Actor) =>
      core.forget.forget(actor, eventId),
    'desk.exportCsv': ({ eventId }: ChannelInput<'desk.exportCsv'>) => {
      const exported = core.desk.exportCsv(eventId);
      core.forget.noteExport(eventId, exported.filename);
      return exported;
    },
    'lists.exportCsv': ({ eventId, listId }: ChannelInput<'lists.exportCsv'>, actor: Actor) => {
      const exported = core.lists.exportCsv(actor, eventId, listId);
      core.forget.noteExport(eventId, exported.filename);
      return exported;
    },
  };
}
