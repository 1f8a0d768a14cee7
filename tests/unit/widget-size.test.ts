// The size budget: what a reader downloads for the widget stays at most 7 kB gzipped (6 kB until the
// report dialog of issue 15; see EMBED_BUDGET_BYTES for why).
import { describe, expect, it } from 'vitest';
import { buildWidgetScripts, EMBED_BUDGET_BYTES } from '../../src/widget/widget-bundle.ts';

describe('widget bundle', () => {
  it('keeps /embed.js (loader + bundle) within 7 kB gzipped, and count.js within 1 kB', async () => {
    const { loader, embed, count } = await buildWidgetScripts();
    const total = loader.gzip.length + embed.gzip.length;
    console.log(
      `embed.js: ${total} B gzipped (loader ${loader.gzip.length} B + bundle ${embed.gzip.length} B); count.js: ${count.gzip.length} B`,
    );
    expect(EMBED_BUDGET_BYTES).toBe(7168);
    expect(total).toBeLessThanOrEqual(EMBED_BUDGET_BYTES);
    expect(count.gzip.length).toBeLessThanOrEqual(1024);
  });

  it('is minified, injects its stylesheet, and points the loader at the hashed bundle', async () => {
    const { loader, embed } = await buildWidgetScripts();
    expect(loader.code).toContain(`/widget/embed.${embed.hash}.js`);
    expect(embed.code).not.toContain('WIDGET_CSS');
    expect(embed.code).toContain(':host{display:block!important}');
    expect(embed.code.split('\n').length).toBeLessThanOrEqual(2);
  });
});
