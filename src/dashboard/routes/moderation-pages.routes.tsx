// A comment's detail page, bans, and the moderation log.
import { type Context, Hono } from 'hono';
import type { SessionService } from '../../auth/session.service.ts';
import { alreadyBanned, type BanService } from '../../bans/ban.service.ts';
import type { CommentStatus } from '../../domain/comment-status.ts';
import { isAdmin, type Principal } from '../../domain/principal.ts';
import type { AppEnv } from '../../http/app-env.ts';
import type { ReviewService } from '../../review/review.service.ts';
import { ConflictError, UnprocessableError, ValidationError } from '../../shared/errors.ts';
import type { SiteService } from '../../sites/site.service.ts';
import { render } from '../components/layout.tsx';
import { pageContext, safeReturn } from '../dashboard-http.tsx';
import { BanConfirmPage } from '../pages/ban-confirm.tsx';
import { type BanFormValues, BansPage } from '../pages/bans.tsx';
import { CommentPage } from '../pages/comment.tsx';
import { LogPage } from '../pages/log.tsx';
import { undoOffer } from '../undo-offer.ts';

const LOG_ACTIONS: CommentStatus[] = ['approved', 'pending', 'rejected', 'spam', 'deleted'];
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

/** " 3 held comments were rejected." after a ban that rejected them; only a number is read from the URL. */
function rejectedNote(c: Context): string {
  const n = Number(c.req.query('rejected'));
  return Number.isInteger(n) && n > 0 ? ` ${n} held comment${n === 1 ? ' was' : 's were'} rejected.` : '';
}

export function moderationPages(deps: {
  review: ReviewService;
  bans: BanService;
  sites: SiteService;
  sessions: SessionService;
}) {
  const app = new Hono<AppEnv>();
  const sitesOf = async (who: Principal) => (isAdmin(who) ? (await deps.sites.list()).map((s) => s.id) : who.siteIds);

  app.get('/comments/:id', async (c) => {
    const detail = await deps.review.detail(c.get('principal'), c.req.param('id'));
    const notice = c.req.query('done')
      ? 'Done.'
      : c.req.query('banned')
        ? `The ban is in force.${rejectedNote(c)}`
        : null;
    const undo = await undoOffer(deps.review, c.get('principal'), c.req.query('done'), c.req.query('n'));
    return c.html(render(<CommentPage page={pageContext(c, deps.sessions)} {...detail} notice={notice} undo={undo} />));
  });

  async function bansPage(
    c: Context<AppEnv>,
    values: BanFormValues,
    errors: ValidationError | ConflictError | null,
    notice: string | null,
  ) {
    const who = c.get('principal');
    const bans = await deps.bans.list(who, {});
    const html = render(
      <BansPage
        page={pageContext(c, deps.sessions)}
        bans={bans}
        sites={await sitesOf(who)}
        values={values}
        errors={errors?.extra.errors ?? []}
        notice={notice}
        sharedIps={await deps.review.sharedIps(who)}
        error={errors instanceof ConflictError ? errors.message : null}
      />,
    );
    return c.html(html, errors instanceof ConflictError ? 409 : errors ? 400 : 200);
  }

  app.get('/bans', (c) =>
    bansPage(
      c,
      {},
      null,
      c.req.query('done') === 'lifted'
        ? 'The ban was lifted.'
        : c.req.query('done') === 'banned'
          ? `The ban is in force.${rejectedNote(c)}`
          : null,
    ),
  );

  app.post('/bans', async (c) => {
    const who = c.get('principal');
    const form = await c.req.parseBody();
    const values: BanFormValues = {
      siteId: str(form.siteId),
      kind: str(form.kind),
      value: str(form.value),
      duration: str(form.duration),
      reason: str(form.reason),
      rejectHeld: form.rejectHeld === '1' ? '1' : '',
      ...(form.return ? { return: safeReturn(form.return, '/dashboard/bans') } : {}),
    };
    const days = Number(values.duration);
    const input = {
      siteId: values.siteId,
      kind: values.kind,
      value: values.value,
      ...(values.reason ? { reason: values.reason } : {}),
      expiresAt:
        values.duration && Number.isFinite(days) && days > 0
          ? new Date(Date.now() + days * 86_400_000).toISOString()
          : null,
      rejectHeld: values.rejectHeld === '1',
      confirm: form.confirm === '1',
      allowWebmail: form.allowWebmail === '1',
    };
    // A domain or IP ban first shows what it would hit; the confirmation page posts it again with confirm=1.
    const confirmPage = async (error: string | null) => {
      const preview = await deps.bans.preview(who, input);
      // Already banned: nothing to confirm; the bans page names the ban in force.
      if (preview.existing)
        return bansPage(c, values, alreadyBanned(preview.kind, preview.value, preview.siteId, preview.existing), null);
      const shared = preview.kind === 'ip' ? await deps.review.sharedIps(who, preview.siteId) : [];
      return c.html(
        render(
          <BanConfirmPage
            page={pageContext(c, deps.sessions)}
            preview={preview}
            values={values}
            sharedIps={shared.filter((w) => w.ip === preview.value)}
            error={error}
          />,
        ),
        error ? 422 : 200,
      );
    };
    let rejected = 0;
    try {
      if ((values.kind === 'domain' || values.kind === 'ip') && !input.confirm) return await confirmPage(null);
      rejected = (await deps.bans.create(who, input)).rejected.length;
    } catch (err) {
      if (err instanceof ValidationError && !form.return) return bansPage(c, values, err, null);
      if (err instanceof UnprocessableError && err.extra.code === 'webmail_domain') return confirmPage(err.message);
      if (err instanceof ConflictError && err.extra.code === 'ban_exists') return bansPage(c, values, err, null);
      throw err;
    }
    const back = values.return ?? '/dashboard/bans';
    const done = back.startsWith('/dashboard/bans') ? 'done=banned' : 'banned=1';
    return c.redirect(`${back}${back.includes('?') ? '&' : '?'}${done}${rejected ? `&rejected=${rejected}` : ''}`, 303);
  });

  app.post('/bans/:id/lift', async (c) => {
    await deps.bans.lift(c.get('principal'), c.req.param('id'));
    return c.redirect('/dashboard/bans?done=lifted', 303);
  });

  app.get('/log', async (c) => {
    const who = c.get('principal');
    const action = c.req.query('action') as CommentStatus | undefined;
    const q = {
      siteId: str(c.req.query('site')) || undefined,
      moderator: str(c.req.query('moderator')).slice(0, 254) || undefined,
      action: action && LOG_ACTIONS.includes(action) ? action : undefined,
      cursor: str(c.req.query('cursor')) || undefined,
    };
    const page = await deps.review.log(who, { ...q, limit: 50 });
    return c.html(
      render(
        <LogPage
          page={pageContext(c, deps.sessions)}
          filters={q}
          sites={await sitesOf(who)}
          actions={LOG_ACTIONS}
          {...page}
        />,
      ),
    );
  });

  return app;
}
