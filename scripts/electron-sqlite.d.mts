/** The path of better_sqlite3.node built for the installed Electron (built on first use). */
export function electronSqliteBinding(root: string): string;
