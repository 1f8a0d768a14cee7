import { z } from 'zod';
import type { FieldError } from './errors.ts';

// Plain-words messages for the commonest problems, for every schema in the app.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'invalid_type') return `must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`;
    if (issue.code === 'too_big' || issue.code === 'too_small') return sizeMessage(issue);
    if (issue.code === 'invalid_value') return `must be one of ${issue.values.map(String).join(', ')}`;
    return undefined;
  },
});

function sizeMessage(
  issue: { code: 'too_big' | 'too_small'; origin: string; inclusive?: boolean } & (
    | { maximum: number | bigint }
    | { minimum: number | bigint }
  ),
): string | undefined {
  const big = issue.code === 'too_big';
  const limit = Number(big ? (issue as { maximum: number }).maximum : (issue as { minimum: number }).minimum);
  const bound = big
    ? issue.inclusive === false
      ? 'less than'
      : 'at most'
    : issue.inclusive === false
      ? 'more than'
      : 'at least';
  if (issue.origin === 'number' || issue.origin === 'int') return `must be ${bound} ${limit}`;
  if (issue.origin === 'array' || issue.origin === 'set')
    return `must have ${bound} ${limit} ${limit === 1 ? 'entry' : 'entries'}`;
  if (issue.origin === 'string') return `must be ${bound} ${limit} character${limit === 1 ? '' : 's'}`;
  return undefined;
}

/** Zod issues as problem+json field errors, each naming the field it is about. */
export function zodToFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const parts = issue.path.map(String);
    const path = [prefix, ...parts].filter(Boolean).join('.') || (prefix ?? '(body)');
    return { path, message: issue.message };
  });
}
