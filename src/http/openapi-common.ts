// Pieces shared by the moderation and admin route descriptions: error answers and how callers sign in.
import { type OpenAPIHono, z } from '@hono/zod-openapi';

const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number(),
    detail: z.string(),
    code: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    conflicts: z
      .array(
        z.object({
          id: z.string(),
          current: z.string(),
          changedBy: z.string().nullable(),
          changedAt: z.string().nullable(),
        }),
      )
      .optional()
      .openapi({ description: 'What changed since the caller saw it: the status now, who set it, when.' }),
    requestId: z.string().optional(),
  })
  .openapi('Problem');

export const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: problemSchema } },
});

/** Every signed-in route can answer these. */
export const authProblems = {
  400: problem('Invalid input; `errors` names each field'),
  401: problem('No valid session cookie or API token'),
  403: problem('Not allowed: another site, admin only, or a missing CSRF token'),
};

/** API tokens (Bearer) for scripts; the dashboard's session cookie plus an X-CSRF-Token header on writes. */
export const signedIn: Record<string, string[]>[] = [{ bearerToken: [] }, { sessionCookie: [] }];

export function registerSecuritySchemes(registry: OpenAPIHono['openAPIRegistry']): void {
  registry.registerComponent('securitySchemes', 'bearerToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token (cmt_…) created with `npm run cli -- tokens:create` or in the dashboard.',
  });
  registry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'cms_session',
    description: "Set by POST /api/v1/auth/login. Writes must also send the session's X-CSRF-Token header.",
  });
}

export const isoDate = z.string().openapi({ format: 'date-time' });
