// Pages for readers who post the plain HTML form without JavaScript.
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError } from '../shared/errors.ts';
import { errorToResponse } from './problem.ts';
import { readBody } from './read-body.ts';

export function wantsHtml(c: Context): boolean {
  const accept = c.req.header('accept') ?? '';
  return accept.includes('text/html');
}

/** A body sent by an HTML form (what `readBody` reads as 'form'), before it is read. */
function isFormPost(c: Context): boolean {
  return /^\s*(?:application\/x-www-form-urlencoded|multipart\/form-data)\b/i.test(c.req.header('content-type') ?? '');
}

export function Page(props: { title: string; children: unknown }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{props.title}</title>
        <style
          dangerouslySetInnerHTML={{
            __html:
              'body{font:17px/1.5 system-ui,sans-serif;max-width:40rem;margin:3rem auto;padding:0 1rem;color:#1f2328}a{color:#0b57d0}',
          }}
        />
      </head>
      <body>{props.children}</body>
    </html>
  );
}

/** A short page for a reader following a link from a mail: a heading, lines, and optionally one button. */
export function notePage(p: { title: string; lines: string[]; action?: { url: string; label: string } }): string {
  return (
    '<!doctype html>' +
    (
      <Page title={p.title}>
        <h1>{p.title}</h1>
        {p.lines.map((l) => (
          <p>{l}</p>
        ))}
        {p.action ? (
          <form method="post" action={p.action.url}>
            <button type="submit">{p.action.label}</button>
          </form>
        ) : null}
      </Page>
    ).toString()
  );
}

export function formThanksPage(status: 'approved' | 'pending') {
  return (
    '<!doctype html>' +
    (
      <Page title="Thank you">
        <h1>Thank you</h1>
        <p>{status === 'approved' ? 'Your comment is published.' : 'Your comment is awaiting moderation.'}</p>
        <p>You can go back to the article now.</p>
      </Page>
    ).toString()
  );
}

export async function formErrorPage(
  c: Context,
  err: AppError,
  title = 'Your comment was not posted',
): Promise<Response> {
  // Same status and detail as the problem+json answer, shown as a page.
  const problem = errorToResponse(err, c, () => {});
  const body = (await problem.json()) as { detail: string; errors?: { path: string; message: string }[] };
  const html =
    '<!doctype html>' +
    (
      <Page title={title}>
        <h1>{title}</h1>
        <p>{body.detail}</p>
        {body.errors?.length ? (
          <ul>
            {body.errors.map((e) => (
              <li>
                <strong>{e.path}</strong>: {e.message}
              </li>
            ))}
          </ul>
        ) : null}
        <p>Use your browser's back button to correct it; your text is still in the form.</p>
      </Page>
    ).toString();
  return c.html(
    html,
    problem.status as ContentfulStatusCode,
    Object.fromEntries([...problem.headers].filter(([k]) => k === 'retry-after')),
  );
}

/**
 * The body of a public POST. A form that cannot be read (over its size, say) is answered as a page when a
 * browser sent it, like the form's other errors: a reader without JavaScript would otherwise see JSON.
 */
export async function readFormOrPage(
  c: Context,
  title?: string,
): Promise<Awaited<ReturnType<typeof readBody>> | Response> {
  try {
    return await readBody(c);
  } catch (err) {
    if (err instanceof AppError && isFormPost(c) && wantsHtml(c)) return formErrorPage(c, err, title);
    throw err;
  }
}
