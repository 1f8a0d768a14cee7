// Builds the browser scripts from src/widget/client with esbuild, in memory, once per process, when run
// from the sources (tests, `npm run dev`). The compiled server in dist/ serves the scripts that
// `npm run build` bundled next to it instead, so production needs no esbuild and no client sources.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

/**
 * The budget for what a reader downloads for the widget (loader + bundle), gzipped. It was 6 kB until
 * readers could report comments (issue 15): the widget used about 6,004 B of it, and the report dialog
 * with its reasons and the EU DSA notice fields (law, explanation, name, email, good-faith statement,
 * their labels and error messages) needs about 1.1 kB more, which no trimming of the rest recovers
 * without dropping accessibility text. The issue allows 7 kB for exactly this.
 */
export const EMBED_BUDGET_BYTES = 7 * 1024;

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
/**
 * Written by `npm run build` (scripts/build.mjs) next to the compiled module: each script's code.
 * @public (the build script imports it from the compiled module, out of knip's sight)
 */
export const PREBUILT_FILE = 'widget-scripts.json';
// Browsers from 2020 on (Safari 14, Chrome 80, Firefox 72); esbuild lowers newer syntax such as `??=`.
const TARGET = 'es2020';

function script(code: string): WidgetScript {
  return {
    code,
    gzip: gzipSync(code, { level: 9 }),
    hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
  };
}

type Esbuild = typeof import('esbuild');

async function bundle(esbuild: Esbuild, entry: string, define: Record<string, string>): Promise<string> {
  const result = await esbuild.build({
    entryPoints: [entry],
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

export async function buildWidgetScripts(dir = clientDir): Promise<WidgetScripts> {
  // Loaded only here: esbuild is a dev dependency, absent from the production image.
  const esbuild = await import('esbuild');
  const css = await esbuild.transform(await readFile(path.join(dir, 'widget.css'), 'utf8'), {
    loader: 'css',
    minify: true,
    target: TARGET,
  });
  const at = (entry: string) => path.join(dir, entry);
  const embed = script(await bundle(esbuild, at('embed.ts'), { WIDGET_CSS: JSON.stringify(css.code.trim()) }));
  const loader = script(await bundle(esbuild, at('loader.ts'), { EMBED_PATH: JSON.stringify(embedPath(embed)) }));
  const count = script(await bundle(esbuild, at('count.ts'), {}));
  return { loader, embed, count };
}

/** The scripts `npm run build` bundled, when running from dist/; otherwise built now from the sources. */
async function prebuiltOrBuilt(): Promise<WidgetScripts> {
  let json: string;
  try {
    json = await readFile(new URL(`./${PREBUILT_FILE}`, import.meta.url), 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return buildWidgetScripts();
    throw err;
  }
  const code = JSON.parse(json) as Record<keyof WidgetScripts, string>;
  return { loader: script(code.loader), embed: script(code.embed), count: script(code.count) };
}

export const embedPath = (embed: WidgetScript) => `/widget/embed.${embed.hash}.js`;
export const countPath = (count: WidgetScript) => `/widget/count.${count.hash}.js`;

let cached: Promise<WidgetScripts> | null = null;

/** Built on first use and kept; a failed build is retried on the next request instead of being cached. */
export function widgetScripts(): Promise<WidgetScripts> {
  cached ??= prebuiltOrBuilt().catch((err: unknown) => {
    cached = null;
    throw err;
  });
  return cached;
}
