// npm run build:widget: builds the widget scripts into dist/widget/, prints their sizes, and fails when
// what a reader downloads for the widget (the /embed.js loader plus the bundle) is over budget, gzipped.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { buildWidgetScripts, countPath, EMBED_BUDGET_BYTES, embedPath } from '../src/widget/widget-bundle.ts';

const outDir = path.resolve(import.meta.dirname, '../dist/widget');
const scripts = await buildWidgetScripts();
mkdirSync(outDir, { recursive: true });
const files: [string, { code: string; gzip: Buffer }][] = [
  ['embed.js', scripts.loader],
  [path.basename(embedPath(scripts.embed)), scripts.embed],
  ['count.js', scripts.count],
  [path.basename(countPath(scripts.count)), scripts.count],
];
for (const [name, script] of files) {
  writeFileSync(path.join(outDir, name), script.code);
  console.log(
    `${name.padEnd(28)} ${String(script.code.length).padStart(6)} B  ${String(script.gzip.length).padStart(5)} B gzipped`,
  );
}
const total = scripts.loader.gzip.length + scripts.embed.gzip.length;
const verdict = total <= EMBED_BUDGET_BYTES ? 'within' : 'OVER';
console.log(`embed.js total (loader + bundle): ${total} B gzipped, ${verdict} the ${EMBED_BUDGET_BYTES} B budget`);
if (total > EMBED_BUDGET_BYTES) process.exit(1);
