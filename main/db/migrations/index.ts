// Numbered migrations, applied in order inside one transaction each; PRAGMA user_version
// records the last one applied. Kept as TypeScript strings so they bundle with the main process
// (no loose .sql files to copy into the packaged app). Never edit a released migration: add one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
  /**
   * The migration rebuilds a table other tables reference (SQLite's way to change a column):
   * foreign keys are off for it (a DROP TABLE would otherwise cascade to the referencing rows),
   * and checked before it commits.
   */
  foreignKeysOff?: boolean;
}

import { migration001 } from './001-initial.ts';
import { migration002 } from './002-desk.ts';
import { migration003 } from './003-printing.ts';
import { migration004 } from './004-attendee-order.ts';
import { migration005 } from './005-other-ticket-names.ts';
import { migration006 } from './006-venue.ts';
import { migration007 } from './007-attendee-list.ts';
import { migration008 } from './008-sync-repairs.ts';
import { migration009 } from './009-salvage.ts';
import { migration010 } from './010-venue-events.ts';
import { migration011 } from './011-answers.ts';
import { migration012 } from './012-door.ts';
import { migration013 } from './013-lists.ts';
import { migration014 } from './014-checkin-tallies.ts';
import { migration015 } from './015-print-stations.ts';
import { migration016 } from './016-forget.ts';

export const MIGRATIONS: readonly Migration[] = [
  migration001,
  migration002,
  migration003,
  migration004,
  migration005,
  migration006,
  migration007,
  migration008,
  migration009,
  migration010,
  migration011,
  migration012,
  migration013,
  migration014,
  migration015,
  migration016,
];
