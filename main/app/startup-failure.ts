// Why Badge Desk could not start, in plain words for the person in front of it: what happened and
// what to do, never a stack trace. The Electron shell shows it in a dialog; the browser host
// prints it on its console and serves it as the page.
import { DatabaseTooNewError } from '../db/open.ts';
import { storageErrorCodeIn } from '../db/storage-errors.ts';
import { STORAGE_PROBLEM_TEXT, STORAGE_STATE_OF_CODE } from '../../shared/storage.ts';

export interface StartupFailure {
  kind: 'native_module' | 'database_too_new' | 'storage' | 'unexpected';
  title: string;
  what: string;
  todo: string;
}

const NATIVE_MODULE_MISMATCH =
  /NODE_MODULE_VERSION|was compiled against a different Node\.js version|invalid ELF header|Module did not self-register|not a valid Win32 application|mach-o, but wrong architecture/;

/** The first line of an error's message: enough to name it, with no stack and no internals below. */
function firstLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.split('\n')[0]!.slice(0, 300);
}

export function describeStartupFailure(err: unknown, dataDir: string): StartupFailure {
  const title = 'Badge Desk could not start';
  if (err instanceof DatabaseTooNewError) {
    return {
      kind: 'database_too_new',
      title,
      what: `The database in ${dataDir} was written by a newer version of Badge Desk (its version ${err.fileVersion}; this one knows up to ${err.appVersion}).`,
      todo: 'Install the latest Badge Desk on this computer. The database was left exactly as it is.',
    };
  }
  // better-sqlite3's own message names the mismatch on its second and third lines.
  if (NATIVE_MODULE_MISMATCH.test(err instanceof Error ? err.message : String(err))) {
    return {
      kind: 'native_module',
      title,
      what: "Badge Desk's database module (better-sqlite3) was built for another version of Node or Electron.",
      todo: 'Reinstall Badge Desk. Developers: run `npx electron-builder install-app-deps` for the app, and `npm rebuild better-sqlite3` before running the Node tests again.',
    };
  }
  const storage = storageErrorCodeIn(err, dataDir);
  if (storage) {
    const text = STORAGE_PROBLEM_TEXT[STORAGE_STATE_OF_CODE[storage]];
    return {
      kind: 'storage',
      title,
      what: `It could not open its data folder ${dataDir}. ${text.what}`,
      todo: `${text.fix} Then start Badge Desk again.`,
    };
  }
  return {
    kind: 'unexpected',
    title,
    what: `Something unexpected stopped it while opening ${dataDir}: ${firstLine(err)}`,
    todo: 'Start Badge Desk again. If it happens again, send this message to support; your data folder was not changed.',
  };
}

/** The failure as console lines: one to say it, one to say what to do. */
export function startupFailureText(f: StartupFailure): string {
  return `${f.title}: ${f.what}\nWhat to do: ${f.todo}`;
}
