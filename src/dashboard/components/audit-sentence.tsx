// An audit entry in words: "ada@example.com banned the email domain spam.example (3 held comments
// rejected)". Values from the entry's details are shown as text (JSX escapes them) and as bidi
// isolates; an action this file does not know is told from its name and the details' keys.
import type { AuditEntry } from '../../admin/admin.service.ts';
import { actorName } from '../pages/comment.tsx';

const BAN_KIND: Record<string, string> = { email: 'the email', domain: 'the email domain', ip: 'the IP' };

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
/** A value a reader typed, or a name: isolated, so a right-to-left name cannot reorder the sentence. */
const V = (p: { v: string }) => <bdi>{p.v}</bdi>;

/** The setting or field names a change touched, as a short list. */
function keysOf(d: Record<string, unknown>, skip: string[] = []): string {
  const keys = Object.keys(d).filter((k) => !skip.includes(k));
  const settings = d.settings && typeof d.settings === 'object' ? Object.keys(d.settings as object) : [];
  return [...keys.filter((k) => k !== 'settings'), ...settings].join(', ');
}

function what(e: AuditEntry) {
  const d = e.details ?? {};
  const site = e.siteId ?? '';
  switch (e.action) {
    case 'ban.create': {
      const rejected = num(d.rejectedHeld);
      return (
        <>
          banned {BAN_KIND[String(d.kind)] ?? String(d.kind ?? '')} <V v={String(d.value ?? '')} /> on {site}
          {str(d.expiresAt) ? ` until ${String(d.expiresAt).slice(0, 16).replace('T', ' ')} UTC` : ''}
          {str(d.reason) ? (
            <>
              {' '}
              (“
              <V v={String(d.reason)} />
              ”)
            </>
          ) : (
            ''
          )}
          {rejected !== null ? ` (${plural(rejected, 'held comment')} rejected)` : ''}
        </>
      );
    }
    case 'ban.lift':
      return (
        <>
          lifted the ban of {BAN_KIND[String(d.kind)] ?? String(d.kind ?? '')} <V v={String(d.value ?? '')} /> on {site}
        </>
      );
    case 'site.create':
      return (
        <>
          created the site {e.targetId} (“
          <V v={String(d.name ?? '')} />
          ”)
        </>
      );
    case 'site.update':
      return (
        <>
          changed the site {e.targetId}: {keysOf(d) || 'nothing'}
        </>
      );
    case 'webhook.create':
      return (
        <>
          added a webhook to {site}: <V v={String(d.url ?? '')} />
        </>
      );
    case 'webhook.update':
      return (
        <>
          changed a webhook of {site}: {keysOf(d) || 'nothing'}
        </>
      );
    case 'webhook.rotate-secret':
      return (
        <>
          rotated a webhook secret of {site} (old secret valid {plural(num(d.graceHours) ?? 0, 'more hour')})
        </>
      );
    case 'webhook.delete':
      return (
        <>
          deleted the webhook <V v={String(d.url ?? '')} /> of {site}
        </>
      );
    case 'webhook.redeliver':
      return <>sent a webhook delivery of {site} again</>;
    case 'token.create':
      return (
        <>
          created the API token “<V v={String(d.name ?? '')} />”
        </>
      );
    case 'token.revoke':
      return <>revoked an API token</>;
    case 'user.create':
      return (
        <>
          created the {String(d.role ?? '')} account <V v={String(d.email ?? '')} />
        </>
      );
    case 'user.update':
      return <>changed an account: {keysOf(d) || 'nothing'}</>;
    case 'user.disable':
      return <>disabled an account and signed it out</>;
    case 'user.enable':
      return <>enabled an account again</>;
    case 'user.reset-password':
      return <>reset an account's password</>;
    case 'article.update':
      return (
        <>
          changed the article <V v={e.targetId} /> on {site}: {keysOf(d, ['before']) || 'nothing'}
        </>
      );
    case 'author.export':
      return (
        <>
          exported an author's data on {site} ({plural(num(d.comments) ?? 0, 'comment')})
        </>
      );
    case 'author.erase':
      return (
        <>
          erased an author on {site} ({plural(num(d.comments) ?? 0, 'comment')})
        </>
      );
    case 'comment.erase':
      return <>deleted a comment on {site} at its author's request</>;
    case 'spam.retrain':
      return <>retrained the spam model of {site}</>;
    case 'spam.reset':
      return <>reset the spam model of {site}</>;
    default: {
      const [thing, verb] = e.action.split('.');
      const keys = keysOf(d);
      return (
        <>
          {verb ? `${verb.replace(/-/g, ' ')} ` : `${e.action} `}
          {thing === e.targetType ? `the ${thing}` : `${thing}: the ${e.targetType}`} <V v={e.targetId} />
          {site ? ` on ${site}` : ''}
          {keys ? ` (${keys})` : ''}
        </>
      );
    }
  }
}

export function AuditSentence(props: { entry: AuditEntry }) {
  return (
    <span class="audit-sentence">
      <strong>{actorName(props.entry)}</strong> {what(props.entry)}.
    </span>
  );
}
