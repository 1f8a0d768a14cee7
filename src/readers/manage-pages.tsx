// The pages of "Manage my comments". Reader text goes in as JSX children and attributes, which hono/jsx
// escapes; the token travels in the forms' bodies (POST), never in a link to another site.
import { Page } from '../http/form-pages.tsx';
import type { OwnComment } from './reader-data.service.ts';

const page = (title: string, body: unknown) => `<!doctype html>${(<Page title={title}>{body}</Page>).toString()}`;

export function askPage(site: { id: string; name: string }): string {
  return page(
    `Manage my comments on ${site.name}`,
    <>
      <h1>Manage my comments on {site.name}</h1>
      <p>Enter the email address you comment with. We mail it a link to see, download and delete your comments.</p>
      <form method="post" action="/mail/manage">
        <input type="hidden" name="site" value={site.id} />
        <label>
          Email <input type="email" name="email" required maxlength={254} autocomplete="email" />
        </label>{' '}
        <button type="submit">Mail me the link</button>
      </form>
    </>,
  );
}

/** The one answer to a request, whether or not the address has comments. */
export function sentPage(): string {
  return page(
    'Check your mail',
    <>
      <h1>Check your mail</h1>
      <p>If this address has comments on the site, a link to them is on its way. It works for 24 hours.</p>
    </>,
  );
}

const statusLabel: Record<string, string> = {
  approved: 'published',
  pending: 'awaiting moderation',
  rejected: 'rejected',
  spam: 'marked as spam',
};

function Item(props: { c: OwnComment; token: string }) {
  const { c } = props;
  const title = c.article.title || c.article.id;
  return (
    <li data-comment={c.id}>
      <p>
        On{' '}
        {c.article.url ? (
          <a href={c.article.url} rel="noreferrer">
            {title}
          </a>
        ) : (
          title
        )}
        , {c.createdAt.slice(0, 10)}: <em>{statusLabel[c.status] ?? c.status}</em>
      </p>
      <blockquote style="white-space:pre-wrap">{c.body}</blockquote>
      <form method="post" action="/mail/manage/delete">
        <input type="hidden" name="token" value={props.token} />
        <input type="hidden" name="comment" value={c.id} />
        <button type="submit">Delete this one</button>
      </form>
    </li>
  );
}

export function listPage(p: { siteName: string; token: string; comments: OwnComment[] }): string {
  const download = `/mail/manage/download?${new URLSearchParams({ token: p.token })}`;
  return page(
    `My comments on ${p.siteName}`,
    <>
      <h1>My comments on {p.siteName}</h1>
      {p.comments.length === 0 ? (
        <p>There are no comments of yours on this site.</p>
      ) : (
        <>
          <p>
            <a href={download}>Download all (JSON)</a>
          </p>
          <form method="post" action="/mail/manage/delete-all">
            <input type="hidden" name="token" value={p.token} />
            <button type="submit">Delete all</button> (every comment above, and what the site keeps about you)
          </form>
          <ol>
            {p.comments.map((c) => (
              <Item c={c} token={p.token} />
            ))}
          </ol>
        </>
      )}
    </>,
  );
}

export function deletedAllPage(n: number): string {
  return page(
    'Comments deleted',
    <>
      <h1>Comments deleted</h1>
      <p>
        {n === 1 ? '1 comment' : `${n} comments`} deleted. Nothing of yours is kept on the site; replies by others keep
        their place.
      </p>
    </>,
  );
}

export function errorPage(title: string, detail: string): string {
  return page(
    title,
    <>
      <h1>{title}</h1>
      <p>{detail}</p>
    </>,
  );
}
