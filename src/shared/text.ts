// Text rules shared by every user-supplied field.

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// C0 and C1 controls and DEL, except tab, newline and carriage return.
const CONTROL_MULTILINE = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/;
const CONTROL_SINGLE_LINE = /[\u0000-\u001F\u007F-\u009F]/;

/** Why a string is unacceptable as text, or null when it is fine. */
export function textProblem(value: string, multiline: boolean): string | null {
  if (value.includes('\u0000')) return 'must not contain NUL bytes';
  if (LONE_SURROGATE.test(value)) return 'must be valid Unicode (it contains a lone surrogate)';
  if ((multiline ? CONTROL_MULTILINE : CONTROL_SINGLE_LINE).test(value)) return 'must not contain control characters';
  return null;
}

/** Length as people count it: code points, not UTF-16 units. */
export function codePointLength(value: string): number {
  let n = 0;
  for (const _ of value) n++;
  return n;
}

export function normaliseNewlines(value: string): string {
  return value.replace(/\r\n?/g, '\n');
}

/**
 * Every string in a parsed input (JSON body, form, query, command-line options) checked by the rules above, so
 * no field is forgotten: NUL and lone surrogates never reach the database or the logs. Tab and line breaks are
 * allowed here (notes and descriptions are multi-line); single-line fields also check themselves.
 */
export function badTextIn(value: unknown, path = ''): { path: string; message: string }[] {
  if (typeof value === 'string') {
    const problem = textProblem(value, true);
    return problem ? [{ path: path || 'value', message: problem }] : [];
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => badTextIn(v, `${path}[${i}]`));
  if (value && typeof value === 'object')
    return Object.entries(value).flatMap(([k, v]) => [
      ...badTextIn(k, path ? `${path}.(key)` : '(key)'),
      ...badTextIn(v, path ? `${path}.${k}` : k),
    ]);
  return [];
}
