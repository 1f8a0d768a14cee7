// POST routes of the moderation API: approve, reject, spam, restore one comment, or many at once.
import { createRoute, z } from '@hono/zod-openapi';
import type { CommentStatus } from '../domain/comment-status.ts';
import { openApiRouter } from '../http/openapi.ts';
import { authProblems, problem, signedIn } from '../http/openapi-common.ts';
import { moderatedCommentSchema } from '../review/review.schemas.ts';
import { actionBodySchema, bulkBodySchema } from './moderation.schemas.ts';
import { MODERATION_ACTIONS, type ModerationAction, type ModerationService } from './moderation.service.ts';

const DESCRIPTIONS: Record<ModerationAction, string> = {
  approve: 'Publish the comment on its thread.',
  reject: 'Take it off (or keep it off) the thread; kept for the audit trail.',
  spam: "Mark as spam; purged after the site's spam retention.",
  restore: 'Undo a rejection or spam mark: back to published if it was, else back to the queue.',
  undo: 'Take back the last decision: the comment returns to the status it had before it (an approval undone goes back to the queue, unpublished). `expectedStatus` is required: the status that decision set. Logged as a change of its own, with its event.',
};

const actionRoute = (action: ModerationAction) =>
  createRoute({
    method: 'post',
    path: `/comments/{id}/${action}`,
    tags: ['Moderation'],
    summary:
      action === 'undo'
        ? 'Undo the last decision on a comment'
        : `${action[0]!.toUpperCase()}${action.slice(1)} a comment`,
    description: `${DESCRIPTIONS[action]} Writes a moderation-log row and the comment's lifecycle event in one transaction.`,
    security: signedIn,
    request: {
      params: z.object({ id: z.string() }),
      body: { content: { 'application/json': { schema: actionBodySchema } }, required: false },
    },
    responses: {
      200: {
        description: 'The comment after the change',
        content: { 'application/json': { schema: z.object({ comment: moderatedCommentSchema }) } },
      },
      ...authProblems,
      404: problem('No such comment (admins)'),
      409: problem(
        'The comment is no longer in `expectedStatus` (`conflicts` says what it is, who set it, when), or this change is not allowed (e.g. a deleted comment)',
      ),
    },
  });

const bulkRoute = createRoute({
  method: 'post',
  path: '/comments/bulk',
  tags: ['Moderation'],
  summary: 'One action on many comments, all or nothing',
  description:
    'Up to 500 ids in one transaction: if any comment is unknown, forbidden or cannot make the move, nothing changes.',
  security: signedIn,
  request: { body: { content: { 'application/json': { schema: bulkBodySchema } }, required: true } },
  responses: {
    200: {
      description: 'The comments after the change',
      content: { 'application/json': { schema: z.object({ comments: z.array(moderatedCommentSchema) }) } },
    },
    ...authProblems,
    404: problem('Unknown comment ids (admins)'),
    409: problem(
      'Some comment cannot make this move, or is no longer in `expectedStatus`; `errors` (and `conflicts`) name them',
    ),
  },
});

export function actionRoutes(deps: { moderation: ModerationService }) {
  const app = openApiRouter();
  for (const action of MODERATION_ACTIONS) {
    app.openapi(actionRoute(action), async (c) => {
      const body = c.req.valid('json') as { reason?: string; expectedStatus?: CommentStatus } | undefined;
      const [comment] = await deps.moderation.act(
        c.get('principal'),
        [c.req.valid('param').id],
        action,
        body?.reason || null,
        body?.expectedStatus,
      );
      return c.json({ comment: comment! }, 200);
    });
  }
  app.openapi(bulkRoute, async (c) => {
    const { ids, action, reason, expectedStatus } = c.req.valid('json');
    return c.json(
      { comments: await deps.moderation.act(c.get('principal'), ids, action, reason || null, expectedStatus) },
      200,
    );
  });
  return app;
}
