// Real Chromium for the widget tests: Debian's /usr/bin/chromium driven by playwright-core (which never
// downloads a browser of its own), and a second web server that plays a publisher on another origin.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type Browser, chromium, type Page } from 'playwright-core';

const CHROMIUM_PATH = '/usr/bin/chromium';

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export interface HostSite {
  /** http://localhost:PORT: another origin than the comment service at http://127.0.0.1:PORT. */
  origin: string;
  close(): Promise<void>;
}

/** Serves `pages[path]` as HTML; every other path is a 404. */
export async function startHostSite(pages: Record<string, string>): Promise<HostSite> {
  const server = createServer((req, res) => {
    const page = pages[new URL(req.url ?? '/', 'http://x').pathname];
    res.writeHead(page ? 200 : 404, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(page ?? 'not found');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://localhost:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A publisher's article page with the embed snippet, as the README shows it. */
export function articlePage(o: {
  service: string;
  site: string;
  article: string;
  head?: string;
  htmlAttrs?: string;
  attrs?: string;
}): string {
  return `<!doctype html><html lang="en" ${o.htmlAttrs ?? ''}><head><meta charset="utf-8"><title>Article ${o.article}</title>${o.head ?? ''}</head>
<body><h1>Article ${o.article}</h1><p>Some text.</p>
<div id="comments" data-site="${o.site}" data-article="${o.article}" data-article-title="Article ${o.article}" ${o.attrs ?? ''}></div>
<script src="${o.service}/embed.js" async></script></body></html>`;
}

/** Collects every alert/confirm/prompt a page opens (an XSS that ran would open one). */
export function watchDialogs(page: Page): string[] {
  const opened: string[] = [];
  page.on('dialog', (dialog) => {
    opened.push(dialog.message());
    void dialog.dismiss();
  });
  return opened;
}

/** Evaluated in the page: the widget's shadow root (tests are type-checked without DOM types, hence strings). */
export const SHADOW = `document.querySelector('#comments').shadowRoot`;

/** Id of the element focused inside the widget, or null. */
export function focusedInWidget(page: Page): Promise<string | null> {
  return page.evaluate(`(${SHADOW}?.activeElement?.id) || null`) as Promise<string | null>;
}
