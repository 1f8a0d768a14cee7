// The demo article with its published thread and a "Leave a reply" form that works without JavaScript.
import type { PublicComment } from '../comments/comment.schemas.ts';
import type { Thread } from '../comments/thread.service.ts';
import { demoStyles } from './demo-styles.ts';
import type { DemoArticle } from './seed-article.ts';

export interface DemoPageProps {
  article: DemoArticle;
  siteId: string;
  thread: Thread | null;
  replyTo: PublicComment | null;
  notice: 'pending' | 'approved' | 'reported' | null;
  /** The comment the reader asked to report (?report=<id>): its report form is shown. */
  reportOf: PublicComment | null;
  articleUrl: string;
  renderedAt: number;
  cursor: string | null;
}

function CommentItem({ comment, cursor }: { comment: PublicComment; cursor: string | null }) {
  return (
    <li class="comment" id={`comment-${comment.id}`}>
      <article>
        <header>
          <span class="avatar" style={`background:${comment.avatar.color}`} aria-hidden="true">
            {comment.avatar.initials}
          </span>
          <strong class="author">
            <bdi>{comment.name}</bdi>
          </strong>
          <time datetime={comment.createdAt} title={comment.createdAt}>
            {new Date(comment.createdAt).toUTCString().replace(' GMT', ' UTC')}
          </time>
        </header>
        {/* html is the body already escaped by the API, with only <p>, <br> and safe links added. Names and
            bodies are bidi isolates (<bdi>, dir=auto): a right-to-left override in them stays inside them. */}
        <div class="body" dir="auto" dangerouslySetInnerHTML={{ __html: comment.html }} />
        <a
          class="reply"
          href={`?${cursor ? `cursor=${encodeURIComponent(cursor)}&` : ''}replyTo=${comment.id}#respond`}
        >
          Reply to <bdi>{comment.name}</bdi>
        </a>{' '}
        <a class="report" href={`?${cursor ? `cursor=${encodeURIComponent(cursor)}&` : ''}report=${comment.id}#report`}>
          Report the comment by <bdi>{comment.name}</bdi>
        </a>
      </article>
      {comment.replies.length > 0 && (
        <ol class="replies">
          {comment.replies.map((r) => (
            <CommentItem comment={r} cursor={cursor} />
          ))}
        </ol>
      )}
    </li>
  );
}

const REASONS = [
  ['spam', 'Spam'],
  ['abuse', 'Abuse or harassment'],
  ['off_topic', 'Off topic'],
  ['other', 'Something else'],
  ['illegal', 'Illegal content (EU notice: fill in the fields below)'],
] as const;

/** The no-JavaScript report: a plain form post that answers 303 back to this page. */
function ReportForm({ siteId, comment, cursor }: { siteId: string; comment: PublicComment; cursor: string | null }) {
  return (
    <div id="report" class="respond">
      <h2>
        Report the comment by <bdi>{comment.name}</bdi>
      </h2>
      <form method="post" action={`/api/v1/sites/${siteId}/comments/${comment.id}/reports`}>
        <fieldset>
          <legend>Why should moderators look at it?</legend>
          {REASONS.map(([value, label]) => (
            <label>
              <input type="radio" name="reason" value={value} required /> {label}
            </label>
          ))}
        </fieldset>
        <label for="report-detail">Details (optional)</label>
        <textarea id="report-detail" name="detail" rows={3} maxlength={1000}></textarea>
        <fieldset>
          <legend>Only for illegal content: the notice the EU Digital Services Act asks for</legend>
          <label for="report-law">Which law or rule it breaks</label>
          <input id="report-law" type="text" name="law" maxlength={300} />
          <label for="report-explanation">Why it is illegal</label>
          <textarea id="report-explanation" name="explanation" rows={4} maxlength={5000}></textarea>
          <label for="report-name">Your name</label>
          <input id="report-name" type="text" name="reporterName" autocomplete="name" maxlength={100} />
          <label for="report-email">Your email</label>
          <input id="report-email" name="reporterEmail" type="email" autocomplete="email" maxlength={254} />
          <label>
            <input type="checkbox" name="goodFaith" /> I believe in good faith that this notice is accurate and
            complete.
          </label>
        </fieldset>
        <button type="submit">Send report</button>{' '}
        <a href={`/${cursor ? `?cursor=${encodeURIComponent(cursor)}` : ''}#comment-${comment.id}`}>Cancel</a>
      </form>
    </div>
  );
}

export function DemoPage(p: DemoPageProps) {
  const count = p.thread?.article.commentCount ?? 0;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{p.article.title}</title>
        <style dangerouslySetInnerHTML={{ __html: demoStyles }} />
      </head>
      <body>
        <main>
          <article class="story">
            <p class="kicker">Demo article · Comment moderation service</p>
            <h1>{p.article.title}</h1>
            <ul class="highlights">
              {p.article.highlights.map((h) => (
                <li>{h}</li>
              ))}
            </ul>
            {p.article.paragraphs.map((para) => (
              <p>{para}</p>
            ))}
          </article>

          {/* The widget (embed.js) replaces this section's content; without JavaScript it stays as it is. */}
          <section
            id="comments"
            class="comments"
            aria-label="Comments"
            data-site={p.siteId}
            data-article={p.article.id}
            data-article-title={p.article.title}
            data-article-url={p.articleUrl}
          >
            <h2 id="comments-heading">
              {count === 0 ? 'No comments yet' : count === 1 ? '1 comment' : `${count} comments`}
            </h2>
            {p.thread && p.thread.comments.length > 0 && (
              <ol class="thread">
                {p.thread.comments.map((c) => (
                  <CommentItem comment={c} cursor={p.cursor} />
                ))}
              </ol>
            )}
            {p.thread?.nextCursor && (
              <p>
                <a href={`?cursor=${encodeURIComponent(p.thread.nextCursor)}#comments`}>Older comments</a>
              </p>
            )}
            {p.cursor && (
              <p>
                <a href="/#comments">Back to the first comments</a>
              </p>
            )}

            {p.reportOf && <ReportForm siteId={p.siteId} comment={p.reportOf} cursor={p.cursor} />}

            <div id="respond" class="respond">
              {p.notice === 'pending' && (
                <p class="notice" role="status">
                  Your comment is awaiting moderation.
                </p>
              )}
              {p.notice === 'reported' && (
                <p class="notice" role="status">
                  Thank you: your report was sent to the moderators.
                </p>
              )}
              {p.notice === 'approved' && (
                <p class="notice" role="status">
                  Your comment is published.
                </p>
              )}
              <h2>
                {p.replyTo ? (
                  <>
                    Reply to <bdi>{p.replyTo.name}</bdi>
                  </>
                ) : (
                  'Leave a reply'
                )}
              </h2>
              {p.replyTo && (
                <p>
                  <a href="/#respond">Cancel reply</a>
                </p>
              )}
              <form method="post" action={`/api/v1/sites/${p.siteId}/comments`}>
                <input type="hidden" name="articleId" value={p.article.id} />
                <input type="hidden" name="articleUrl" value={p.articleUrl} />
                <input type="hidden" name="articleTitle" value={p.article.title} />
                <input type="hidden" name="renderedAt" value={String(p.renderedAt)} />
                {p.replyTo && <input type="hidden" name="parentId" value={p.replyTo.id} />}
                <p class="note">Your email address will not be published. Required fields are marked *</p>
                <label for="body">
                  Comment <span aria-hidden="true">*</span>
                </label>
                <textarea id="body" name="body" rows={6} maxlength={10000} required></textarea>
                <label for="name">
                  Name <span aria-hidden="true">*</span>
                </label>
                <input id="name" type="text" name="name" autocomplete="name" maxlength={100} required />
                <label for="email">
                  Email <span aria-hidden="true">*</span>
                </label>
                <input id="email" name="email" type="email" autocomplete="email" maxlength={254} required />
                <fieldset class="notify">
                  <legend>Email me (after I confirm my address)</legend>
                  <label>
                    <input type="radio" name="notify" value="" checked /> No mail
                  </label>
                  <label>
                    <input type="radio" name="notify" value="replies" /> Email me replies to my comment
                  </label>
                  <label>
                    <input type="radio" name="notify" value="thread" /> Email me all new comments on this article
                  </label>
                </fieldset>
                <div class="hp" aria-hidden="true">
                  <label for="website">Leave this field empty</label>
                  <input id="website" type="text" name="website" tabindex={-1} autocomplete="off" />
                </div>
                <button type="submit">Post Comment</button>
              </form>
            </div>
          </section>
        </main>
        <script src="/embed.js" async></script>
      </body>
    </html>
  );
}
