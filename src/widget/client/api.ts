// The public API as the widget uses it. Types mirror src/comments/comment.schemas.ts.

export interface PublicComment {
  id: string;
  parentId: string | null;
  name: string;
  avatar: { initials: string; color: string };
  html: string;
  createdAt: string;
  deleted?: boolean;
  replies: PublicComment[];
}

export interface Thread {
  article: { commentCount: number; closed: boolean };
  maxDepth: number;
  comments: PublicComment[];
  nextCursor: string | null;
}

export type Sort = 'oldest' | 'newest';

export class OriginRefused extends Error {}

export interface Answer {
  status: number;
  body: {
    status?: 'approved' | 'pending';
    comment?: PublicComment;
    detail?: string;
    errors?: { path: string; message: string }[];
  };
  retryAfter: number;
}

export function siteApi(base: string, site: string) {
  const root = `${base}/api/v1/sites/${encodeURIComponent(site)}`;
  async function send(path: string, json: string, idempotencyKey?: string): Promise<Answer> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;
    const res = await fetch(root + path, { method: 'POST', headers, body: json });
    const body = (await res.json().catch(() => ({}))) as Answer['body'];
    return { status: res.status, body, retryAfter: Number(res.headers.get('retry-after')) || 0 };
  }
  return {
    /** null when the article has no comment yet (the API creates articles on their first comment). */
    async thread(article: string, sort: Sort, limit: number, cursor: string | null): Promise<Thread | null> {
      const query = new URLSearchParams({ sort, limit: String(limit) });
      if (cursor) query.set('cursor', cursor);
      const res = await fetch(`${root}/articles/${encodeURIComponent(article)}/comments?${query}`);
      if (res.status === 404) return null;
      // The site does not allow this page's origin: the answer says which origin and what to configure.
      if (res.status === 403) throw new OriginRefused(((await res.json()) as Answer['body']).detail);
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      return (await res.json()) as Thread;
    },

    /** Throws only when the service cannot be reached; every HTTP answer comes back as an Answer. */
    post: (json: string, idempotencyKey: string) => send('/comments', json, idempotencyKey),

    /** A reader's report of a published comment (answered 202, without counts). */
    report: (commentId: string, json: string) => send(`/comments/${encodeURIComponent(commentId)}/reports`, json),
  };
}

export type SiteApi = ReturnType<typeof siteApi>;

/** A key per submission; crypto.randomUUID needs a secure context, getRandomValues does not. */
export function newIdempotencyKey(): string {
  return (
    crypto.randomUUID?.() ??
    Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('')
  );
}
