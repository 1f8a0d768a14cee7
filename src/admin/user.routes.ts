// Admin: accounts (admins and moderators), their sites, passwords and API tokens.
import { createRoute, z } from '@hono/zod-openapi';
import type { TokenService } from '../auth/token.service.ts';
import type { UserService } from '../auth/user.service.ts';
import { actorOf } from '../domain/principal.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import { tokenSchema, userCreateSchema, userPatchSchema, userSchema } from './admin.schemas.ts';

const userParam = z.object({ userId: z.string() });
const json = <T extends z.ZodType>(schema: T) => ({ content: { 'application/json': { schema } } });
const base = { tags: ['Admin'], security: signedIn };

const routes = {
  list: createRoute({
    ...base,
    method: 'get',
    path: '/users',
    summary: 'Every account',
    responses: { 200: { description: 'Accounts', ...json(z.object({ users: z.array(userSchema) })) }, ...authProblems },
  }),
  create: createRoute({
    ...base,
    method: 'post',
    path: '/users',
    summary: 'Create an admin or a moderator (with their sites)',
    request: { body: { ...json(userCreateSchema), required: true } },
    responses: {
      201: { description: 'Created', ...json(z.object({ user: userSchema })) },
      ...authProblems,
      409: problem('An account with this email exists'),
    },
  }),
  get: createRoute({
    ...base,
    method: 'get',
    path: '/users/{userId}',
    summary: 'One account',
    request: { params: userParam },
    responses: {
      200: { description: 'The account', ...json(z.object({ user: userSchema })) },
      ...authProblems,
      404: problem('No such account'),
    },
  }),
  update: createRoute({
    ...base,
    method: 'patch',
    path: '/users/{userId}',
    summary:
      'Change role, assigned sites, or disable / enable (disabling ends its sessions and revokes its API tokens)',
    request: { params: userParam, body: { ...json(userPatchSchema), required: true } },
    responses: {
      200: { description: 'The account', ...json(z.object({ user: userSchema })) },
      ...authProblems,
      404: problem('No such account'),
      409: problem('The last active admin cannot be demoted or disabled'),
    },
  }),
  password: createRoute({
    ...base,
    method: 'post',
    path: '/users/{userId}/password',
    summary: 'Set a new password: ends every session of the account and revokes all its API tokens',
    description:
      'An admin setting their own password with a session cookie stays signed in with that session; every other session and every API token of the account (the one calling, too) stop working.',
    request: { params: userParam, body: { ...json(z.object({ password: z.string().max(1024) })), required: true } },
    responses: { 204: { description: 'Changed' }, ...authProblems, 404: problem('No such account') },
  }),
  tokens: createRoute({
    ...base,
    method: 'get',
    path: '/users/{userId}/tokens',
    summary: "An account's API tokens (never the tokens themselves)",
    request: { params: userParam },
    responses: {
      200: { description: 'Tokens', ...json(z.object({ tokens: z.array(tokenSchema) })) },
      ...authProblems,
      404: problem('No such account'),
    },
  }),
  createToken: createRoute({
    ...base,
    method: 'post',
    path: '/users/{userId}/tokens',
    summary: 'Create an API token; the token is in this answer only',
    request: {
      params: userParam,
      body: { ...json(z.object({ name: z.string().max(100).optional() })), required: false },
    },
    responses: {
      201: { description: 'Created', ...json(z.object({ token: z.string(), apiToken: tokenSchema })) },
      ...authProblems,
      404: problem('No such account'),
      409: problem('The account is disabled (`user_disabled`); nothing was made'),
    },
  }),
  revokeToken: createRoute({
    ...base,
    method: 'delete',
    path: '/tokens/{tokenId}',
    summary: 'Revoke an API token',
    request: { params: z.object({ tokenId: z.string() }) },
    responses: {
      200: { description: 'Revoked', ...json(z.object({ apiToken: tokenSchema })) },
      ...authProblems,
      404: problem('No such token'),
      409: problem('The token was already revoked (`token_revoked`); nothing was changed'),
    },
  }),
};

export function userAdminRoutes(deps: { users: UserService; tokens: TokenService }) {
  const app = openApiRouter();
  app.openapi(routes.list, async (c) => c.json({ users: await deps.users.list() }, 200));
  app.openapi(routes.create, async (c) =>
    c.json({ user: await deps.users.create(c.req.valid('json'), actorOf(c.get('principal'))) }, 201),
  );
  app.openapi(routes.get, async (c) => c.json({ user: await deps.users.get(c.req.valid('param').userId) }, 200));
  app.openapi(routes.update, async (c) =>
    c.json(
      { user: await deps.users.update(c.req.valid('param').userId, c.req.valid('json'), actorOf(c.get('principal'))) },
      200,
    ),
  );
  app.openapi(routes.password, async (c) => {
    const principal = c.get('principal');
    const userId = c.req.valid('param').userId;
    await deps.users.resetPassword(userId, c.req.valid('json').password, actorOf(principal), {
      keepSessionId: principal.userId === userId ? principal.sessionId : null,
    });
    return c.body(null, 204);
  });
  app.openapi(routes.tokens, async (c) => {
    const { id } = await deps.users.get(c.req.valid('param').userId);
    return c.json({ tokens: await deps.tokens.list(id) }, 200);
  });
  app.openapi(routes.createToken, async (c) => {
    const body = c.req.valid('json') as { name?: string } | undefined;
    return c.json(await deps.tokens.create(c.req.valid('param').userId, body?.name, actorOf(c.get('principal'))), 201);
  });
  app.openapi(routes.revokeToken, async (c) =>
    c.json({ apiToken: await deps.tokens.revoke(c.req.valid('param').tokenId, actorOf(c.get('principal'))) }, 200),
  );
  return app;
}
