// Bans by email, email domain or IP on a site you moderate; they reject the author's new comments.
import { createRoute, z } from '@hono/zod-openapi';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, isoDate, problem, signedIn } from '../http/openapi-common.ts';
import { BAN_KINDS, type BanService, banInputSchema } from './ban.service.ts';

const banSchema = z
  .object({
    id: z.string(),
    siteId: z.string(),
    kind: z.enum(BAN_KINDS),
    value: z.string(),
    reason: z.string().nullable(),
    createdBy: z.object({ type: z.string(), id: z.string() }),
    createdAt: isoDate,
    expiresAt: isoDate.nullable(),
    liftedAt: isoDate.nullable(),
    active: z.boolean(),
  })
  .openapi('Ban');

// Rebuilt with the OpenAPI-extended zod: the service's schema may be created before the extension loads
// (the CLI imports the service without any route).
const banInput = z.object(banInputSchema.shape).openapi('BanInput');

const listRoute = createRoute({
  method: 'get',
  path: '/',
  tags: ['Moderation'],
  summary: 'Bans in force (or all, with includeInactive=true)',
  security: signedIn,
  request: {
    query: z.object({ siteId: z.string().max(63).optional(), includeInactive: z.enum(['true', 'false']).optional() }),
  },
  responses: {
    200: {
      description: 'Bans, newest first',
      content: { 'application/json': { schema: z.object({ bans: z.array(banSchema) }) } },
    },
    ...authProblems,
  },
});

const createBanRoute = createRoute({
  method: 'post',
  path: '/',
  tags: ['Moderation'],
  summary: 'Ban an email, an email domain (and its subdomains) or an IP address or range on a site',
  description:
    'New comments from a banned author are rejected with the reason "banned". `expiresAt` makes the ban timed. An `ip` ban takes an address or a CIDR range (IPv4 /16 or narrower, IPv6 /32 or narrower), e.g. the /64 of an IPv6 reader: one IPv6 client uses many addresses of its /64. ' +
    '`rejectHeld: true` also rejects the held comments the ban matches, in the same transaction (each a logged transition with its events). ' +
    'One ban per value is in force at a time: banning what is already banned answers 409 `ban_exists` naming the ban in force (also when two moderators ban it at once: exactly one ban is made). ' +
    'A `domain` or `ip` ban needs `confirm: true` (else 409 `confirmation_required`, naming how many authors and comments it would hit; `POST /preview` counts them), and a webmail domain (gmail.com, …) `allowWebmail: true` (else 422 `webmail_domain`).',
  security: signedIn,
  request: {
    body: { content: { 'application/json': { schema: banInput } }, required: true },
  },
  responses: {
    201: {
      description: 'The ban, and the ids of the held comments it rejected (rejectHeld)',
      content: { 'application/json': { schema: z.object({ ban: banSchema, rejected: z.array(z.string()) }) } },
    },
    ...authProblems,
    404: problem('Unknown site (admins)'),
    409: problem(
      'A domain or IP ban without confirm: true (confirmation_required, with its counts), or the value is already banned on the site (ban_exists: `conflicts[0].id` is the ban in force, who made it and when; nothing is written)',
    ),
    422: problem('A webmail domain without allowWebmail: true (webmail_domain)'),
  },
});

const previewRoute = createRoute({
  method: 'post',
  path: '/preview',
  tags: ['Moderation'],
  summary: 'What a ban would hit: authors and comments on the site it matches, how many held; nothing is written',
  security: signedIn,
  request: {
    body: { content: { 'application/json': { schema: banInput } }, required: true },
  },
  responses: {
    200: {
      description: 'The normalised ban and its impact',
      content: {
        'application/json': {
          schema: z
            .object({
              siteId: z.string(),
              kind: z.enum(BAN_KINDS),
              value: z.string(),
              authors: z.number(),
              comments: z.number(),
              held: z.number(),
              webmail: z.boolean(),
              needsConfirmation: z.boolean(),
              existing: z
                .object({
                  id: z.string(),
                  createdBy: z.string(),
                  createdAt: isoDate,
                  expiresAt: isoDate.nullable(),
                  reason: z.string().nullable(),
                })
                .nullable()
                .describe('The ban of this value already in force on the site (a new one would answer 409 ban_exists)'),
            })
            .openapi('BanPreview'),
        },
      },
    },
    ...authProblems,
    404: problem('Unknown site (admins)'),
  },
});

const liftRoute = createRoute({
  method: 'delete',
  path: '/{id}',
  tags: ['Moderation'],
  summary: 'Lift a ban',
  security: signedIn,
  request: { params: z.object({ id: z.string() }) },
  responses: {
    200: { description: 'The lifted ban', content: { 'application/json': { schema: z.object({ ban: banSchema }) } } },
    ...authProblems,
    404: problem('No such ban (admins)'),
    409: problem('The ban was already lifted (`ban_lifted`); nothing was changed'),
  },
});

export function banRoutes(deps: { bans: BanService }) {
  const app = openApiRouter();
  app.openapi(listRoute, async (c) => {
    const { siteId, includeInactive } = c.req.valid('query');
    return c.json(
      { bans: await deps.bans.list(c.get('principal'), { siteId, includeInactive: includeInactive === 'true' }) },
      200,
    );
  });
  app.openapi(previewRoute, async (c) => c.json(await deps.bans.preview(c.get('principal'), c.req.valid('json')), 200));
  app.openapi(createBanRoute, async (c) =>
    c.json(await deps.bans.create(c.get('principal'), c.req.valid('json')), 201),
  );
  app.openapi(liftRoute, async (c) =>
    c.json({ ban: await deps.bans.lift(c.get('principal'), c.req.valid('param').id) }, 200),
  );
  return app;
}
