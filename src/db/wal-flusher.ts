// Makes embedded (PGlite) commits durable before they are acknowledged. PGlite runs PostgreSQL with
// fsync=off, and its file system layer turns fsync into nothing, so a commit's WAL record reaches the
// kernel (a SIGKILL loses nothing) but not the disk (a power failure or OS crash could lose comments
// already answered 201). No PGlite option changes that, so this flushes the WAL segment itself: fsync
// acts on the file whatever descriptor it comes through. Callers that commit while a flush runs share
// the next one (a group commit), so a burst of comments costs a few fdatasyncs, not one each.
import { closeSync, fdatasync, openSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const SEGMENT = /^[0-9A-F]{24}$/;

export interface WalFlusher {
  /** Something may have been written since the last flush. */
  markDirty(): void;
  /** Resolves once everything written before the call is on disk. */
  flush(): Promise<void>;
  close(): void;
}

export function createWalFlusher(dataDir: string): WalFlusher {
  const walDir = join(dataDir, 'pg_wal');
  let open: { name: string; fd: number } | null = null;
  let dirty = false;
  let running: Promise<void> | null = null;
  let next: Promise<void> | null = null;

  const sync = (fd: number) =>
    new Promise<void>((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));

  /** The segment PostgreSQL writes now is the newest; the one before it is synced once when it changes. */
  async function syncCurrentSegment(): Promise<void> {
    const newest = readdirSync(walDir)
      .filter((n) => SEGMENT.test(n))
      .sort()
      .at(-1);
    if (!newest) return;
    if (open?.name !== newest) {
      if (open) {
        await sync(open.fd);
        closeSync(open.fd);
      }
      open = { name: newest, fd: openSync(join(walDir, newest), 'r') };
    }
    await sync(open.fd);
  }

  function start(): Promise<void> {
    dirty = false;
    running = syncCurrentSegment().finally(() => {
      running = null;
    });
    return running;
  }

  return {
    markDirty() {
      dirty = true;
    },
    flush() {
      if (!running) return dirty ? start() : Promise.resolve();
      // A flush is under way but may have started before this caller's write: wait for it, then one more
      // that covers everything written meanwhile (shared by all who arrive now).
      next ??= running
        .catch(() => {})
        .then(() => {
          next = null;
          return dirty ? start() : undefined;
        });
      return next;
    },
    close() {
      if (open) closeSync(open.fd);
      open = null;
    },
  };
}
