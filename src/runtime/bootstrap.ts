// Start-up tasks that make a fresh installation usable: the demo site for the article at /.
import type { Container } from '../container.ts';
import { DEMO_SITE_ID } from '../demo/seed-article.ts';

export function demoOrigins(port: number, publicUrl: string | null): string[] {
  const origins = [`http://localhost:${port}`, `http://127.0.0.1:${port}`];
  if (publicUrl) origins.unshift(new URL(publicUrl).origin);
  return origins;
}

export async function ensureDemoSite(container: Container, port: number): Promise<void> {
  const origins = demoOrigins(port, container.config.publicUrl);
  // Flood control is off on the demo site: a newcomer tries a comment and a reply within seconds, and
  // every visitor of a local demo shares one IP address.
  const site = await container.sites.ensure({ id: DEMO_SITE_ID, name: 'Demo', settings: { origins, moderation: 'first', floodIntervalSeconds: 0 } });
  const missing = origins.filter((o) => !site.settings.origins.includes(o));
  // The port or public URL changed since the site was created: keep the demo page able to post.
  if (missing.length) await container.sites.update(site.id, { settings: { origins: [...site.settings.origins, ...missing] } });
}
