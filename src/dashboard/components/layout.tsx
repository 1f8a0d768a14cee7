// The page frame: navigation by role, the signed-in account, sign out, and the one script and stylesheet.
import type { Child } from 'hono/jsx';
import type { Principal } from '../../domain/principal.ts';
import { assetUrl } from '../assets.ts';

export type NavKey = 'queue' | 'reported' | 'bans' | 'log' | 'sites' | 'users' | 'mail' | 'audit';

const NAV: { key: NavKey; href: string; label: string; adminOnly: boolean }[] = [
  { key: 'queue', href: '/dashboard/queue', label: 'Queue', adminOnly: false },
  { key: 'reported', href: '/dashboard/reported', label: 'Reported', adminOnly: false },
  { key: 'bans', href: '/dashboard/bans', label: 'Bans', adminOnly: false },
  { key: 'log', href: '/dashboard/log', label: 'Moderation log', adminOnly: false },
  { key: 'sites', href: '/dashboard/sites', label: 'Sites & webhooks', adminOnly: true },
  { key: 'users', href: '/dashboard/users', label: 'Moderators & tokens', adminOnly: true },
  { key: 'mail', href: '/dashboard/mail', label: 'Mail', adminOnly: true },
  { key: 'audit', href: '/dashboard/audit', label: 'Audit log', adminOnly: true },
];

export interface PageContext {
  who: Principal;
  csrf: string;
}

export function Layout(props: {
  title: string;
  page?: PageContext | null;
  active?: NavKey;
  notice?: string | null;
  /** Shown with the notice (the Undo button of a decision). */
  noticeAction?: Child;
  error?: string | null;
  children: Child;
}) {
  const who = props.page?.who;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="referrer" content="no-referrer" />
        {props.page && <meta name="csrf-token" content={props.page.csrf} />}
        <title>{`${props.title} · Comment moderation`}</title>
        <link rel="stylesheet" href={assetUrl('dashboard.css')} />
        <script src={assetUrl('dashboard.js')} defer></script>
      </head>
      <body>
        <a class="skip" href="#main">
          Skip to content
        </a>
        {who && (
          <header class="topbar">
            <a class="brand" href="/dashboard/queue">
              Moderation
            </a>
            <nav aria-label="Dashboard">
              <ul>
                {NAV.filter((n) => !n.adminOnly || who.role === 'admin').map((n) => (
                  <li>
                    <a href={n.href} aria-current={props.active === n.key ? 'page' : undefined}>
                      {n.label}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <div class="who">
              <span>
                {who.email} <span class="muted">({who.role})</span>
              </span>
              <form method="post" action="/dashboard/logout" class="inline">
                <input type="hidden" name="_csrf" value={props.page!.csrf} />
                <button type="submit">Sign out</button>
              </form>
            </div>
          </header>
        )}
        <main id="main" tabindex={-1}>
          {props.notice &&
            (props.noticeAction ? (
              <div class="notice" role="status">
                <span>{props.notice}</span> {props.noticeAction}
              </div>
            ) : (
              <p class="notice" role="status">
                {props.notice}
              </p>
            ))}
          {props.error && (
            <p class="notice error" role="alert">
              {props.error}
            </p>
          )}
          {props.children}
        </main>
      </body>
    </html>
  );
}

/** A full HTML document from a JSX page. */
export function render(node: unknown): string {
  return `<!doctype html>${String(node)}`;
}
