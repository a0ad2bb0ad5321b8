// Numbered migrations, applied in order inside one transaction each; PRAGMA user_version
// records the last one applied. Kept as TypeScript strings so they bundle with the main process
// (no loose .sql files to copy into the packaged app). Never edit a released migration: add one.

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

import { migration001 } from './001-initial.ts';
import { migration002 } from './002-desk.ts';
import { migration003 } from './003-printing.ts';
import { migration004 } from './004-attendee-order.ts';
import { migration005 } from './005-other-ticket-names.ts';
import { migration006 } from './006-venue.ts';

export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006];
