// The per-process site cache never keeps settings that a transaction was replacing: a read while the
// change is not yet committed sees the old settings, and the first read after the commit the new ones.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSite } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';

let ctx: TestContext;
beforeAll(async () => {
  ctx = await createTestContext();
  await createSite(ctx, 'cached', { moderation: 'none' });
});
afterAll(() => ctx.close());

describe('the site cache', () => {
  it('does not cache what a read saw while a transaction was changing the site', async () => {
    const { sites, database } = ctx.container;
    await sites.get('cached'); // cached before the change
    let release!: () => void;
    const hold = new Promise<void>((r) => (release = r));
    let updated!: () => void;
    const written = new Promise<void>((r) => (updated = r));
    const tx = database.db.transaction().execute(async (t) => {
      await sites.withTx(t).update('cached', { settings: { blockedEmails: ['troll@example.com'] } });
      updated();
      await hold;
    });
    await written;
    // PGlite has one connection: a read outside the transaction waits for it, so only PostgreSQL can
    // read in between; both must see the new settings once it committed.
    const during = database.kind === 'postgres' ? await sites.get('cached') : null;
    if (during) expect(during.settings.blockedEmails).toEqual([]);
    release();
    await tx;
    expect((await sites.get('cached')).settings.blockedEmails).toEqual(['troll@example.com']);
  });
});
