// Typed errors raised where a rule is broken. src/http/problem.ts is the one place that turns them into HTTP.

export interface FieldError {
  path: string;
  message: string;
}

/** A thing that changed since the caller last saw it (optimistic concurrency): what it is now, who made it so, when. */
export interface StaleView {
  id: string;
  current: string;
  changedBy: string | null;
  changedAt: string | null;
}

export abstract class AppError extends Error {
  abstract readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly extra: { errors?: FieldError[]; code?: string; retryAfterSeconds?: number; conflicts?: StaleView[] } = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'too_large'
  | 'unsupported_media_type'
  | 'unprocessable'
  | 'rate_limited'
  | 'unavailable';

export class ValidationError extends AppError {
  readonly kind = 'invalid';
  constructor(errors: FieldError[], message = 'The request is invalid.') {
    super(message, { errors });
  }
}
export class UnauthenticatedError extends AppError {
  readonly kind = 'unauthenticated';
}
export class ForbiddenError extends AppError {
  readonly kind = 'forbidden';
}
export class NotFoundError extends AppError {
  readonly kind = 'not_found';
}
export class ConflictError extends AppError {
  readonly kind = 'conflict';
}
export class PayloadTooLargeError extends AppError {
  readonly kind = 'too_large';
}
export class UnsupportedMediaTypeError extends AppError {
  readonly kind = 'unsupported_media_type';
}
export class UnprocessableError extends AppError {
  readonly kind = 'unprocessable';
}
export class RateLimitedError extends AppError {
  readonly kind = 'rate_limited';
  constructor(message: string, retryAfterSeconds: number, code?: string) {
    super(message, { retryAfterSeconds: Math.max(1, Math.ceil(retryAfterSeconds)), ...(code ? { code } : {}) });
  }
}
export function fieldError(path: string, message: string): ValidationError {
  return new ValidationError([{ path, message }], `${path} ${message}.`);
}
