import { z } from 'zod';
import type { FieldError } from './errors.ts';

// Plain-words messages for the commonest problems, for every schema in the app.
z.config({
  customError: (issue) => {
    if (issue.code === 'invalid_type' && issue.input === undefined) return 'is required';
    if (issue.code === 'invalid_type') return `must be ${issue.expected === 'string' ? 'text' : `a ${issue.expected}`}`;
    return undefined;
  },
});

/** Zod issues as problem+json field errors, each naming the field it is about. */
export function zodToFieldErrors(error: z.ZodError, prefix?: string): FieldError[] {
  return error.issues.map((issue) => {
    const parts = issue.path.map(String);
    const path = [prefix, ...parts].filter(Boolean).join('.') || (prefix ?? '(body)');
    return { path, message: issue.message };
  });
}
