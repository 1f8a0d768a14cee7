// npm run bench:widget: time from navigation to a rendered thread of 50 comments in real Chromium, on a
// publisher page served from another origin, with the embed bundle uncached (cold) and cached (warm).
// Prints the medians and the gzipped size; asserts nothing (timings depend on the machine).
import type { Page } from 'playwright-core';
import { buildWidgetScripts } from '../src/widget/widget-bundle.ts';
import { articlePage, launchChromium, startHostSite } from '../tests/support/browser.ts';
import { freshEnvironment, runTsx, startServer } from '../tests/support/server-process.ts';

const RUNS = Number(process.argv[2] ?? 10);
const COMMENTS = 50;

const fresh = await freshEnvironment();
const server = await startServer('src/bin/server.ts', fresh.env);
const pages: Record<string, string> = {};
const host = await startHostSite(pages);
pages['/article'] = articlePage({
  service: server.url,
  site: 'bench',
  article: 'fifty',
  attrs: `data-page-size="${COMMENTS}"`,
});
const browser = await launchChromium();

try {
  const created = await runTsx(
    'src/bin/cli.ts',
    [
      'sites:create',
      '--id',
      'bench',
      '--name',
      'Bench',
      '--origin',
      host.origin,
      '--mode',
      'none',
      '--flood-interval',
      '0',
    ],
    server.env,
  );
  if (created.code !== 0) throw new Error(created.stderr);
  for (let i = 0; i < COMMENTS; i++) {
    const res = await fetch(`${server.url}/api/v1/sites/bench/comments`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        articleId: 'fifty',
        name: `Reader ${i}`,
        email: `r${i}@example.com`,
        body: `Comment ${i}: ${'a thoughtful sentence about the article. '.repeat(3)}`,
      }),
    });
    if (res.status !== 201) throw new Error(`seeding failed: ${res.status}`);
  }

  const rendered = `(() => { const r = document.querySelector('#comments')?.shadowRoot; return r && r.querySelectorAll('li article').length >= ${COMMENTS} ? performance.now() : 0; })()`;
  const time = async (page: Page) => {
    await page.goto(`${host.origin}/article`, { waitUntil: 'commit' });
    const handle = await page.waitForFunction(rendered, null, { polling: 'raf', timeout: 10_000 });
    return (await handle.jsonValue()) as number;
  };
  const cold: number[] = [];
  const warm: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const context = await browser.newContext(); // empty HTTP cache
    const page = await context.newPage();
    cold.push(await time(page));
    warm.push(await time(page));
    await context.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const { loader, embed } = await buildWidgetScripts();
  console.log(
    `embed.js: ${loader.gzip.length + embed.gzip.length} B gzipped (loader ${loader.gzip.length} B + bundle ${embed.gzip.length} B)`,
  );
  console.log(
    `navigation start → ${COMMENTS} comments rendered, median of ${RUNS}: ${median(cold).toFixed(0)} ms cold cache, ${median(warm).toFixed(0)} ms warm cache`,
  );
  console.log(`  cold: ${cold.map((t) => t.toFixed(0)).join(' ')}\n  warm: ${warm.map((t) => t.toFixed(0)).join(' ')}`);
} finally {
  await browser.close();
  await host.close();
  await server.stop('SIGKILL');
  await fresh.cleanup();
}
