import type { Migration } from './index.ts';

// A number kept free for a migration that another line of work adds at the same time: migrations
// are numbered 1..n without gaps, so this no-op holds the place until that one replaces it.
export const migration014: Migration = {
  version: 14,
  name: 'reserved',
  sql: '',
};
