// What each problem `type` URI means (RFC 9457: the type is a URI a reader can open). Every answer's type
// is one of these: a code listed here gets its own page, any other code (a filter's rejection code, say)
// names its status's page, so no type a client is given answers 404.

/** The general page of each status, named after its title as problem.ts words it. */
const BY_STATUS: Record<number, { code: string; meaning: string }> = {
  400: {
    code: 'invalid_request',
    meaning: 'The request is malformed or a field is invalid; `errors` names each field.',
  },
  401: { code: 'authentication_required', meaning: 'Sign in, or send Authorization: Bearer <API token>.' },
  403: {
    code: 'forbidden',
    meaning: 'The caller may not do this (another site, admin only, or a missing CSRF token).',
  },
  404: { code: 'not_found', meaning: 'Nothing is at this path, or the thing it names does not exist.' },
  405: {
    code: 'method_not_allowed',
    meaning: 'The path exists but not for this method; the Allow header lists those it takes.',
  },
  408: { code: 'request_timeout', meaning: 'The request did not arrive in time; the connection was closed.' },
  409: {
    code: 'conflict',
    meaning: 'The request conflicts with the current state (a duplicate, a refused transition).',
  },
  413: { code: 'request_body_too_large', meaning: 'The body is larger than this route accepts; send less.' },
  415: {
    code: 'unsupported_media_type',
    meaning: 'The body is not in a format this route reads (JSON, or a form where allowed).',
  },
  422: {
    code: 'unprocessable_request',
    meaning:
      "The request is well-formed but refused: for a comment, the site's filters rejected it (`code` names the filter, `errors` lists each reason).",
  },
  429: { code: 'too_many_requests', meaning: 'Too many requests; retry after the seconds in the Retry-After header.' },
  431: {
    code: 'request_header_fields_too_large',
    meaning: 'The request line or headers are larger than the server reads (16 KB in all); send less.',
  },
  500: {
    code: 'internal_server_error',
    meaning: 'Something failed on the server; it has been logged with the requestId.',
  },
  503: {
    code: 'service_unavailable',
    meaning: 'A data store is unreachable for now; retry after the seconds in the Retry-After header.',
  },
};

/** Codes that name one cause more precisely than their status. */
const BY_CODE: Record<string, string> = {
  csrf: 'A write made with the session cookie lacks the X-CSRF-Token header the sign-in answered (403).',
  unauthenticated: 'No valid session cookie or API token came with the request (401).',
  login_failed: 'The email or password is wrong (401).',
  login_locked: 'Too many failed sign-ins for this account from unknown browsers; wait for Retry-After (429).',
  flood: 'This author or address posted moments ago; wait for Retry-After before posting again (429).',
  admin_only: 'Only administrators can do this (403).',
  origin_not_allowed: "The page's origin is not among the site's allowed origins; add it to the site (403).",
  article_closed: 'The article is closed to new comments (403).',
  duplicate: 'The same author already posted this comment on this article (409).',
  idempotency_key_in_use: 'A request with this Idempotency-Key is still being processed; retry shortly (409).',
  idempotency_key_reused: 'This Idempotency-Key was already used for a different comment (422).',
  transition_refused: "The comment's current status does not allow this change (409).",
  status_changed:
    'A comment changed since the caller saw it; `conflicts` says what it is now. Nothing was changed (409).',
  subscription_gone: 'The subscription this link belongs to no longer exists (404).',
  already_confirmed: 'This link was already used (409).',
  invalid_value: 'A value cannot be stored (for example a NUL character or an invalid encoding) (400).',
  import_too_large: 'The import file, or one of its parts, is larger than the importer accepts (413).',
  import_stopped: 'The import stopped at an error after storing part of the file; the detail says where (422).',
  confirmation_required:
    'A domain or IP ban hits many readers: the detail names how many authors and comments; send confirm: true to ban (409).',
  ban_exists:
    'The email, domain or IP is already banned on the site; `conflicts` names the ban in force. Nothing was changed (409).',
  webmail_domain: 'A webmail domain (gmail.com, …) is banned only with allowWebmail: true (422).',
  store_unavailable: 'The database or Redis is unreachable for now; retry after Retry-After (503).',
};

export const PROBLEM_TYPES_PATH = '/problems';

export interface ProblemType {
  code: string;
  meaning: string;
}

/** Every problem type with a page, each once. */
export function problemTypes(): ProblemType[] {
  const all = new Map<string, string>();
  for (const { code, meaning } of Object.values(BY_STATUS)) all.set(code, meaning);
  for (const [code, meaning] of Object.entries(BY_CODE)) all.set(code, meaning);
  return [...all].map(([code, meaning]) => ({ code, meaning }));
}

export function problemTypeOf(code: string): ProblemType | undefined {
  // Own keys only: `/problems/constructor` or `/problems/__proto__` name no type (they are Object's).
  const meaning = Object.hasOwn(BY_CODE, code)
    ? BY_CODE[code]
    : Object.values(BY_STATUS).find((s) => s.code === code)?.meaning;
  return meaning ? { code, meaning } : undefined;
}

/** The type URI of an answer with this status and (optional) code. */
export function problemTypeUri(status: number, code: string | undefined): string {
  if (code && problemTypeOf(code)) return `${PROBLEM_TYPES_PATH}/${code}`;
  return `${PROBLEM_TYPES_PATH}/${BY_STATUS[status]?.code ?? BY_STATUS[500]!.code}`;
}
