// `npm start`, `npm run start:api|start:worker|cli|migrate`: runs the compiled entry point, building dist/
// first when it is missing or older than the sources, so `npm install && npm start` works on a fresh clone.
//
// The entry point is imported into this very process (no child process): the signals npm forwards
// (Ctrl-C, a supervisor's SIGTERM) reach the server's own handlers, which drain and exit.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { build, distDir } from './build.mjs';

const ENTRIES = ['server', 'api', 'worker', 'cli', 'migrate'];
const [name, ...args] = process.argv.slice(2);
if (!ENTRIES.includes(name)) {
  process.stderr.write(`usage: node scripts/start.mjs <${ENTRIES.join('|')}> [arguments]\n`);
  process.exit(2);
}

try {
  // Build messages go to stderr: a CLI command's stdout may be piped into another program.
  await build({ ifStale: true, log: 2 });
} catch (err) {
  process.stderr.write(`error: ${err.message}\n`);
  process.exit(1);
}

const entry = path.join(distDir, 'src', 'bin', `${name}.js`);
// The entry points read their own arguments from process.argv, as if started as `node <entry> …`.
process.argv.splice(1, process.argv.length - 1, entry, ...args);
await import(pathToFileURL(entry).href);
