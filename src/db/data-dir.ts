// The embedded data directory holds the whole database and the secret key: only the service's own
// user may read or write it. New files come out 0600 (the process umask), and a directory made by an
// older version or by hand is brought to 0700 / 0600 at start. PGlite's file system (Emscripten's
// NODEFS) chmods every file it creates to its own default, 0666, whatever the umask: inside the data
// directory those chmods are narrowed to the owner.
import fs from 'node:fs';
import path from 'node:path';

const DIR_MODE = 0o700;
const FILE_MODE = 0o600;

/** Files this process creates from now on are its user's only (embedded processes own DATA_DIR). */
function restrictUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // worker threads may not set the umask: the modes below and each write's own mode still hold
  }
}

function restrictTree(dir: string): void {
  fs.chmodSync(dir, DIR_MODE);
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) restrictTree(full);
    else if (entry.isFile()) fs.chmodSync(full, FILE_MODE);
    // symbolic links and sockets are left alone: chmod would follow a link out of the directory
  }
}

const guarded = new Set<string>();

/** Narrows chmods under the guarded directories: owner bits only, and no execute bit on plain files. */
function narrowChmods(): void {
  if (guarded.size > 0) return;
  const chmod = fs.chmodSync;
  const inside = (p: string) => [...guarded].some((dir) => p === dir || p.startsWith(`${dir}${path.sep}`));
  fs.chmodSync = (target: fs.PathLike, mode: fs.Mode) => {
    if (typeof target === 'string' && typeof mode === 'number' && inside(path.resolve(target))) {
      const isDir = (mode & fs.constants.S_IFMT) === fs.constants.S_IFDIR || fs.statSync(target).isDirectory();
      return chmod(target, mode & (isDir ? DIR_MODE : FILE_MODE));
    }
    return chmod(target, mode);
  };
}

/**
 * The chmod narrowing alone, for another thread that opens the directory (its `fs` is its own module):
 * the directory itself is made and secured by secureDataDir on the main thread.
 */
export function narrowChmodsUnder(dir: string): void {
  narrowChmods();
  guarded.add(path.resolve(dir));
}

/** Creates the data directory 0700 if missing and makes what is in it 0700 (directories) and 0600 (files). */
export function secureDataDir(dir: string): void {
  restrictUmask();
  narrowChmodsUnder(dir);
  fs.mkdirSync(dir, { recursive: true, mode: DIR_MODE });
  restrictTree(dir);
}
