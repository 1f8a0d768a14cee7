// Builds the browser scripts from src/widget/client with esbuild, in memory, once per process: a fresh
// clone serves them after `npm install && npm start` with no build step to forget.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, transform } from 'esbuild';

/** The budget for what a reader downloads for the widget (loader + bundle), gzipped. */
export const EMBED_BUDGET_BYTES = 6 * 1024;

export interface WidgetScript {
  code: string;
  gzip: Buffer;
  /** First 12 hex digits of the SHA-256 of the code: names the immutable URL and is the ETag. */
  hash: string;
}

export interface WidgetScripts {
  /** /embed.js: loads the hashed bundle. */
  loader: WidgetScript;
  /** /widget/embed.<hash>.js: the widget itself. */
  embed: WidgetScript;
  /** /count.js and /widget/count.<hash>.js. */
  count: WidgetScript;
}

const clientDir = fileURLToPath(new URL('./client/', import.meta.url));
// Browsers from 2020 on (Safari 14, Chrome 80, Firefox 72); esbuild lowers newer syntax such as `??=`.
const TARGET = 'es2020';

function script(code: string): WidgetScript {
  return {
    code,
    gzip: gzipSync(code, { level: 9 }),
    hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
  };
}

async function bundle(entry: string, define: Record<string, string>): Promise<string> {
  const result = await build({
    entryPoints: [clientDir + entry],
    bundle: true,
    minify: true,
    format: 'iife',
    target: TARGET,
    define,
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

export async function buildWidgetScripts(): Promise<WidgetScripts> {
  const css = await transform(await readFile(`${clientDir}widget.css`, 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const embed = script(await bundle('embed.ts', { WIDGET_CSS: JSON.stringify(css.code.trim()) }));
  const loader = script(await bundle('loader.ts', { EMBED_PATH: JSON.stringify(embedPath(embed)) }));
  const count = script(await bundle('count.ts', {}));
  return { loader, embed, count };
}

export const embedPath = (embed: WidgetScript) => `/widget/embed.${embed.hash}.js`;
export const countPath = (count: WidgetScript) => `/widget/count.${count.hash}.js`;

let cached: Promise<WidgetScripts> | null = null;

/** Built on first use and kept; a failed build is retried on the next request instead of being cached. */
export function widgetScripts(): Promise<WidgetScripts> {
  cached ??= buildWidgetScripts().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}
