// Erasure leaves nothing of the author anywhere: their name, email, IP addresses, user agent and text
// (and the fragments filters matched) are in no table of the database afterwards, whichever way they
// got there (comments, log rows and notes, events, deliveries and the receivers' answers, Idempotency-Key
// answers, block lists, bans, audit rows, kept mail to her and moderator alerts quoting her, the stored
// upload an abandoned import left behind). A redelivered event sends the erased form.
// Also: webhook endpoints without personal data get filter reasons as codes and field names only.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../src/cli/program.ts';
import { insertMailMessage, listMailMessages } from '../../src/mail/mail.repository.ts';
import { finishImportJob, insertImportJob, insertUploadChunk } from '../../src/transfer/import-job.repository.ts';
import { api, bearer, createUser, tokenFor } from '../support/accounts.ts';
import { pgDump, tableRowsAsText } from '../support/db-dump.ts';
import { call, createSite, submit } from '../support/http.ts';
import { createTestContext, type TestContext } from '../support/test-app.ts';
import { type Receiver, startReceiver, waitUntil } from '../support/webhook-receiver.ts';

const AUTHOR = {
  name: 'Zelda Quixote-Marsh',
  email: 'zelda.quixote@mail-erase.example',
  ipv4: '203.0.113.77',
  ipv6: '2001:db8:77:1::9',
  // "QuixoteBot" is matched by the hold word "quixotebot": the match records the author's spelling.
  userAgent: 'Mozilla/5.0 (ZeldaOS) QuixoteBot/9.1',
  secret: 'marmalade-ostrich-42',
};
/** What the filters recorded of the author's own text (the list entries are in other letter case). */
const MATCHED = ['CaSiNo', 'QuixoteBot'];
const OTHER = { name: 'Kept Reader', email: 'kept.reader@example.com', body: 'a reply that stays put' };

let ctx: TestContext;
let receiver: Receiver;
let adminAuth: Record<string, string>;
const admin = { type: 'cli' as const, id: 'test-admin' };

beforeAll(async () => {
  ctx = await createTestContext(
    { TRUST_PROXY: 'true', WEBHOOK_ALLOW_PRIVATE: 'true' },
    { webhookScheduleMs: [150, 150, 150] },
  );
  receiver = await startReceiver();
  // Receivers that echo what they were sent: the attempts log keeps their answers.
  for (const path of ['/personal', '/public']) receiver.on(path, (r) => ({ status: 200, body: r.body.slice(0, 480) }));
  await ctx.container.startWorkers();
  await createSite(ctx, 'erase', { moderation: 'first', holdWords: ['casino', 'quixotebot'] });
  await ctx.container.webhooks.create('erase', { url: `${receiver.url}/personal`, includePersonalData: true });
  await ctx.container.webhooks.create('erase', { url: `${receiver.url}/public`, includePersonalData: false });
  adminAuth = bearer(await tokenFor(ctx, await createUser(ctx, 'erasure-admin@example.com', 'admin')));
  // A moderator with immediate alerts: each held comment of hers is quoted in a kept alert mail.
  await createUser(ctx, 'erasure-mod@example.com', 'moderator', ['erase']);
  const cli = ['alerts:set', '--email', 'erasure-mod@example.com', '--site', 'erase', '--frequency', 'immediate'];
  expect(await runCli(cli, ctx.container, { out: () => {}, err: () => {} })).toBe(0);
});
afterAll(async () => {
  await ctx.close();
  await receiver.close();
});

const headers = (ip: string, extra: Record<string, string> = {}) => ({
  'x-forwarded-for': ip,
  'user-agent': AUTHOR.userAgent,
  ...extra,
});
const fromPath = (path: string) => receiver.received.filter((r) => r.path === path);
const ids: { first?: string; second?: string } = {};

async function settled(): Promise<void> {
  const db = ctx.container.database.db;
  await waitUntil(
    async () => {
      const events = await db.selectFrom('events').select('id').where('site_id', '=', 'erase').execute();
      const done = await db.selectFrom('webhook_deliveries').select('id').where('status', '=', 'succeeded').execute();
      return events.length > 0 && done.length === events.length * 2;
    },
    30_000,
    'every event delivered to both endpoints',
  );
}

function values(): string[] {
  return [AUTHOR.name, AUTHOR.email, AUTHOR.ipv4, AUTHOR.ipv6, AUTHOR.userAgent, AUTHOR.secret];
}
/** A stored upload is bytes: the dump shows them in hex. */
const hex = (v: string) => Buffer.from(v).toString('hex');

/** Every value found in the text: full values in any case, matched fragments as the author wrote them. */
function found(text: string): string[] {
  const lower = text.toLowerCase();
  return [
    ...values().filter((v) => lower.includes(v.toLowerCase())),
    ...MATCHED.filter((m) => text.includes(m)),
    // The author's name in parts (a note could name her by her surname), and the IPv6 /64.
    ...['Quixote-Marsh', '2001:db8:77:1::/64'].filter((v) => lower.includes(v.toLowerCase())),
    ...[AUTHOR.email, AUTHOR.ipv4].filter((v) => lower.includes(hex(v))).map((v) => `hex:${v}`),
  ];
}

describe('erasure', () => {
  it('puts the author everywhere first: comments, reasons, notes, block lists, bans, audit, keys, webhooks, mail', async () => {
    const first = await submit(
      ctx,
      'erase',
      {
        articleId: 'story-e',
        articleUrl: 'https://news.example/story-e',
        name: AUTHOR.name,
        email: AUTHOR.email,
        body: `Zelda here: ${AUTHOR.secret} and CaSiNo nights`,
      },
      headers(AUTHOR.ipv4, { 'idempotency-key': 'zelda-key-1' }),
    );
    expect(first.status).toBe(201);
    ids.first = first.body.id;
    await ctx.container.moderation.setStatus(first.body.id, 'approved', admin, `Fine by me, ${AUTHOR.name}`);
    const reply = await submit(
      ctx,
      'erase',
      { articleId: 'story-e', parentId: first.body.id, name: OTHER.name, email: OTHER.email, body: OTHER.body },
      { 'x-forwarded-for': '198.51.100.200' },
    );
    await ctx.container.moderation.setStatus(reply.body.id, 'approved', admin);
    // Both alerts sent first: an alert job reading the site while the block list changes could cache
    // the site as it was (site.service.ts clears its cache entry before the change commits).
    await waitUntil(
      async () => {
        const alerts = await listMailMessages(ctx.container.database.db, {
          siteIds: ['erase'],
          kind: 'moderation_alert',
          limit: 50,
        });
        return (
          alerts.some((a) => a.to_address === 'erasure-mod@example.com' && a.text_body.includes(AUTHOR.name)) &&
          alerts.some((a) => a.text_body.includes(OTHER.name))
        );
      },
      20_000,
      "the moderator's alerts quoting both held comments",
    );
    // The address on the block list (an audited settings change): her next comment is rejected, with
    // her address in the reason.
    await ctx.container.admin.updateSite(admin, 'erase', { settings: { blockedEmails: [AUTHOR.email] } });
    const second = await submit(
      ctx,
      'erase',
      { articleId: 'story-e', name: AUTHOR.name, email: AUTHOR.email, body: 'Second thought from marmalade land' },
      headers(AUTHOR.ipv6),
    );
    ids.second = second.body.id;
    const reasons = (await ctx.container.moderation.show(second.body.id)).comment.reasons as any[];
    expect(reasons.find((r) => r.code === 'blocked_email').data.email).toBe(AUTHOR.email);
    // Bans by email and by her IPv6 /64, audited, with a reason naming her.
    for (const [kind, value] of [
      ['email', AUTHOR.email],
      ['ip', '2001:db8:77:1::/64'],
    ]) {
      const res = await api(ctx, 'POST', '/api/v1/moderation/bans', adminAuth, {
        siteId: 'erase',
        kind,
        value,
        reason: `${AUTHOR.name} again`,
        confirm: true,
      });
      expect(res.status, res.text).toBe(201);
    }
    await insertMailMessage(ctx.container.database.db, {
      id: '0190a0a0-0000-7000-8000-00000000e1a5',
      siteId: 'erase',
      kind: 'confirm',
      toAddress: AUTHOR.email,
      toName: AUTHOR.name,
      fromHeader: 'News <noreply@news.example>',
      subject: 'Confirm your address',
      textBody: `Hello ${AUTHOR.name}`,
      htmlBody: `<p>Hello ${AUTHOR.name}</p>`,
      headers: {},
      dedupeKey: null,
      status: 'kept',
      sentAt: null,
    });
    // An import whose process died mid-upload: its stored file (her address and IP in it) stays behind
    // until the job counts as abandoned.
    const job = await insertImportJob(ctx.container.database.db, {
      id: '0190a0a0-0000-7000-8000-0000000011e5',
      siteId: 'erase',
      format: 'disqus',
      createdBy: 'cli:test-admin',
      options: {},
      staleMs: 600_000,
      status: 'uploading',
    });
    const upload = `<disqus><post><author><email>${AUTHOR.email}</email></author><ipAddress>${AUTHOR.ipv4}</ipAddress>`;
    await insertUploadChunk(ctx.container.database.db, job!.id, 0, Buffer.from(upload));
    await finishImportJob(ctx.container.database.db, job!.id, {
      status: 'failed',
      report: null,
      error: 'Abandoned: the process running it stopped.',
      progress: {},
    });
    await settled();
    const before = await tableRowsAsText(ctx);
    expect(found(before.text).sort()).toEqual(
      [
        ...values(),
        ...MATCHED,
        'Quixote-Marsh',
        '2001:db8:77:1::/64',
        `hex:${AUTHOR.email}`,
        `hex:${AUTHOR.ipv4}`,
      ].sort(),
    );
  });

  it('sends endpoints without personal data the reasons as codes and field names, never the values', async () => {
    const created = (path: string) =>
      fromPath(path)
        .map((r) => r.json)
        .find((e) => e.type === 'comment.rejected' && e.data.comment.id === ids.second);
    const pub = created('/public');
    const personal = created('/personal');
    expect(pub.data.reasons).toEqual(
      expect.arrayContaining([
        {
          action: 'reject',
          code: 'blocked_email',
          detail: "The email address is on the site's block list.",
          fields: ['email'],
        },
        expect.objectContaining({ code: 'hold_word', fields: ['userAgent'] }),
      ]),
    );
    const publicBodies = fromPath('/public')
      .map((r) => r.body)
      .join('\n');
    for (const v of [AUTHOR.email, AUTHOR.ipv4, AUTHOR.ipv6, AUTHOR.userAgent, 'QuixoteBot', 'mail-erase.example'])
      expect(publicBodies).not.toContain(v);
    // Endpoints with personal data get the reasons as moderators see them.
    expect(personal.data.reasons.find((r: any) => r.code === 'blocked_email').data.email).toBe(AUTHOR.email);
    expect(personal.data.comment).toMatchObject({ email: AUTHOR.email, ip: AUTHOR.ipv6 });
  });

  it('leaves nothing of the author in any table, and keeps everything else', async () => {
    let out = '';
    const code = await runCli(
      ['authors:erase', '--site', 'erase', '--email', AUTHOR.email.toUpperCase()],
      ctx.container,
      { out: (s) => (out += s), err: (s) => (out += s) },
    );
    expect(code, out).toBe(0);
    expect(out).toContain('Erased 2 comments.');
    const after = await tableRowsAsText(ctx);
    expect(after.tables).toEqual(expect.arrayContaining(['comments', 'events', 'webhook_attempts', 'audit_log']));
    expect(found(after.text)).toEqual([]);
    const dump = await pgDump(ctx);
    if (dump !== null) {
      expect(dump).toContain('COPY');
      expect(found(dump)).toEqual([]);
    }
    // The other reader, the thread's shape, the bans and the audit trail are all still there.
    for (const v of [OTHER.name, OTHER.email, OTHER.body]) expect(after.text).toContain(v);
    const thread = await call(ctx, '/api/v1/sites/erase/articles/story-e/comments');
    expect(thread.body.comments[0]).toMatchObject({ id: ids.first, deleted: true, name: '' });
    expect(thread.body.comments[0].replies[0].html).toContain(OTHER.body);
    const audit = await ctx.container.admin.auditLog({ siteId: 'erase', limit: 50 });
    expect(audit.entries.map((e) => e.action)).toEqual(
      expect.arrayContaining(['site.update', 'ban.create', 'author.erase']),
    );
    expect(audit.entries.find((e) => e.action === 'author.erase')!.details).toMatchObject({ comments: 2 });
  });

  it("redelivers an erased comment's events in their erased form, to both kinds of endpoint", async () => {
    const db = ctx.container.database.db;
    const deliveries = await db
      .selectFrom('webhook_deliveries as d')
      .innerJoin('events as e', 'e.id', 'd.event_id')
      .select(['d.id', 'e.type', 'e.id as eventId'])
      .where('e.comment_id', '=', ids.first!)
      .where('e.type', 'in', ['comment.created', 'comment.approved'])
      .execute();
    expect(deliveries).toHaveLength(4);
    const count = receiver.received.length;
    for (const d of deliveries) {
      const res = await api(ctx, 'POST', `/api/v1/admin/webhook-deliveries/${d.id}/redeliver`, adminAuth);
      expect(res.status, res.text).toBe(202);
    }
    // Match the redelivered events by id: other deliveries (the erasure's own events) may still arrive meanwhile.
    const eventIds = new Set(deliveries.map((d) => d.eventId));
    const redelivered = (all: typeof receiver.received) =>
      all.slice(count).filter((r) => eventIds.has(r.headers['webhook-id'] ?? r.json?.id));
    const again = redelivered(await receiver.waitFor((all) => redelivered(all).length >= 4));
    expect(again).toHaveLength(4);
    for (const r of receiver.received.slice(count)) expect(found(r.body)).toEqual([]);
    for (const r of again) {
      expect(found(r.body)).toEqual([]);
      expect(r.json.data.comment).toMatchObject({ id: ids.first, name: '', body: '', html: '' });
      if (r.path === '/personal') expect(r.json.data.comment).toMatchObject({ email: '', ip: null, userAgent: null });
    }
  });

  it('keeps the erased address blocked: the block list entry became an email ban without the address', async () => {
    const res = await submit(ctx, 'erase', { email: AUTHOR.email, name: 'Someone', body: 'back again' });
    const reasons = (await ctx.container.moderation.show(res.body.id)).comment.reasons as any[];
    expect(reasons.map((r) => r.code)).toContain('banned');
    const site = await ctx.container.sites.get('erase');
    expect(site.settings.blockedEmails).toEqual([]);
  });
});
