// A small disk for the storage tests: a tmpfs of a few megabytes mounted (as root) on a temp
// folder, which a test fills, frees, or pulls out (a lazy unmount: the app's open files live on,
// the folder's path no longer leads to them, as when a USB drive is pulled). Where mounting is
// not allowed (not root, a container without CAP_SYS_ADMIN), `mounted` is false and the test
// falls back to injecting the fault into SQLite (PRAGMA max_page_count), and says so.
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SmallDisk {
  dir: string;
  mounted: boolean;
  /** Why there is no tmpfs, when there is none. */
  fallbackReason: string | null;
  /** Fills the disk to the last byte with a filler file. */
  fill(): void;
  /** Removes the filler: the space returns. */
  free(): void;
  /** Mounts it again read-only (only while nothing has a file open for writing there) or read-write. */
  remount(mode: 'ro' | 'rw'): void;
  /** The drive pulled: the folder no longer leads to the files (they stay open for whoever has them). */
  pull(): void;
}

const FILLER = '.filler';

/** Fills the disk under `dir` to the last byte with the file `name`. */
export function fillDisk(dir: string, name = FILLER): void {
  const fd = openSync(join(dir, name), 'a');
  const chunk = Buffer.alloc(1024 * 1024, 1);
  try {
    // Ever smaller writes once one is refused: the last ones take the last blocks.
    for (let size = chunk.length; size >= 512;) {
      try {
        writeSync(fd, chunk, 0, size);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
        size = Math.floor(size / 2);
      }
    }
  } finally {
    closeSync(fd);
  }
}

export function smallDisk(t: { after(fn: () => unknown): void }, sizeMb: number): SmallDisk {
  const dir = mkdtempSync(join(tmpdir(), 'bd-small-disk-'));
  let mounted = false;
  let fallbackReason: string | null = null;
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m,mode=0755`, 'tmpfs', dir], {
      stdio: 'pipe',
    });
    mounted = true;
  } catch (err) {
    fallbackReason = `cannot mount a tmpfs here (${
      String((err as { stderr?: Buffer }).stderr ?? err)
        .trim()
        .split('\n')[0]
    })`;
  }
  let pulled = false;
  t.after(() => {
    if (mounted && !pulled) {
      try {
        execFileSync('umount', [dir], { stdio: 'pipe' });
      } catch {
        execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    mounted,
    fallbackReason,
    fill: () => fillDisk(dir),
    free() {
      rmSync(join(dir, FILLER), { force: true });
    },
    remount(mode) {
      execFileSync('mount', ['-o', `remount,${mode}`, dir], { stdio: 'pipe' });
    },
    pull() {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      pulled = true;
    },
  };
}
