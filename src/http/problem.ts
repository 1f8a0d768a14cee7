// The one place where errors become HTTP: application/problem+json (RFC 9457) for every failure.
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { AppError, type ErrorKind, type FieldError, type StaleView } from '../shared/errors.ts';
import { problemTypeUri } from './problem-types.ts';

const STATUS: Record<ErrorKind, ContentfulStatusCode> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  too_large: 413,
  unsupported_media_type: 415,
  unprocessable: 422,
  rate_limited: 429,
  unavailable: 503,
};

const TITLE: Record<number, string> = {
  400: 'Invalid request',
  401: 'Authentication required',
  403: 'Forbidden',
  404: 'Not found',
  405: 'Method not allowed',
  408: 'Request timeout',
  409: 'Conflict',
  413: 'Request body too large',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code?: string;
  errors?: FieldError[];
  conflicts?: StaleView[];
  requestId?: string;
}

export function problemBody(
  status: number,
  detail: string,
  extra: { code?: string; errors?: FieldError[]; conflicts?: StaleView[]; requestId?: string } = {},
): Problem {
  return {
    type: problemTypeUri(status, extra.code),
    title: TITLE[status] ?? 'Error',
    status,
    detail,
    ...(extra.code ? { code: extra.code } : {}),
    ...(extra.errors?.length ? { errors: extra.errors } : {}),
    ...(extra.conflicts?.length ? { conflicts: extra.conflicts } : {}),
    ...(extra.requestId ? { requestId: extra.requestId } : {}),
  };
}

export function problemResponse(
  c: Context,
  status: ContentfulStatusCode,
  detail: string,
  extra: Parameters<typeof problemBody>[2] & { retryAfterSeconds?: number } = {},
): Response {
  const requestId = (c.get('requestId' as never) as string | undefined) ?? undefined;
  const body = problemBody(status, detail, { ...extra, ...(requestId ? { requestId } : {}) });
  const headers: Record<string, string> = {
    'content-type': 'application/problem+json; charset=utf-8',
    'cache-control': 'no-store',
  };
  if (extra.retryAfterSeconds) headers['retry-after'] = String(extra.retryAfterSeconds);
  return new Response(JSON.stringify(body), { status, headers });
}

/** Errors that mean "a store is unreachable", from pg, PGlite, ioredis or the pool. */
function isStoreUnavailable(err: unknown): boolean {
  const e = err as { code?: string; message?: string } | null;
  if (!e) return false;
  const code = String(e.code ?? '');
  if (['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code))
    return true;
  // PostgreSQL classes 08 (connection), 53 (resources), 57P (shutdown/cannot connect now).
  if (/^(08|53|57P)/.test(code)) return true;
  return /timeout exceeded when trying to connect|Connection terminated|connect ECONNREFUSED|Stream isn't writeable|Connection is closed/i.test(
    e.message ?? '',
  );
}

export function errorToResponse(err: unknown, c: Context, log: (err: unknown) => void): Response {
  if (err instanceof AppError) {
    return problemResponse(c, STATUS[err.kind], err.message, err.extra);
  }
  if (err instanceof HTTPException) {
    const status = err.status as ContentfulStatusCode;
    if (status >= 500) log(err);
    return problemResponse(c, status, err.message || TITLE[status] || 'Error');
  }
  // A safety net: PostgreSQL's "data exception" class (22xxx: NUL bytes, invalid encodings, values
  // out of range) only ever comes from client input that slipped past validation. Logged, so the
  // missing validation gets fixed, but answered as the client's error.
  if (/^22[0-9A-Z]{3}$/.test(String((err as { code?: unknown } | null)?.code ?? ''))) {
    log(err);
    return problemResponse(c, 400, 'The request contains a value the database cannot store.', {
      code: 'invalid_value',
    });
  }
  if (isStoreUnavailable(err)) {
    log(err);
    return problemResponse(c, 503, 'A data store is temporarily unreachable. Please retry shortly.', {
      retryAfterSeconds: 5,
      code: 'store_unavailable',
    });
  }
  log(err);
  return problemResponse(c, 500, 'Something went wrong on our side. It has been logged.');
}
