// embed.js: mounts the comment widget on every `#comments[data-site]` or `[data-comments][data-site]` element.
import { mountWidget } from './widget.ts';

// currentScript is only set while this file first runs: read the API's origin now.
const script = document.currentScript as HTMLScriptElement | null;
const base = new URL(script?.src || location.href).origin;

function start() {
  document.querySelectorAll<HTMLElement>('#comments[data-site],[data-comments][data-site]').forEach((host) => {
    if (!host.shadowRoot) mountWidget(host, base);
  });
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
else start();
