// Reads a JSON or HTML-form body into a plain object, refusing anything else with a clear 4xx.
import type { Context } from 'hono';
import { UnsupportedMediaTypeError, ValidationError } from '../shared/errors.ts';

export type BodyFormat = 'json' | 'form';

function bodyFormat(c: Context): BodyFormat | null {
  const type = (c.req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
  if (type === 'application/json' || /^application\/[a-z0-9.+-]+\+json$/.test(type)) return 'json';
  if (type === 'application/x-www-form-urlencoded' || type === 'multipart/form-data') return 'form';
  return null;
}

export async function readBody(
  c: Context,
  accepted: BodyFormat[] = ['json', 'form'],
): Promise<{ format: BodyFormat; data: Record<string, unknown> }> {
  const format = bodyFormat(c);
  if (!format || !accepted.includes(format)) {
    const names = accepted
      .map((f) => (f === 'json' ? 'application/json' : 'application/x-www-form-urlencoded'))
      .join(' or ');
    throw new UnsupportedMediaTypeError(`Send the body as ${names}.`);
  }
  if (format === 'json') {
    const text = await c.req.text();
    let data: unknown;
    try {
      data = JSON.parse(text);
    } catch {
      throw new ValidationError([{ path: '(body)', message: 'is not valid JSON' }], 'The body is not valid JSON.');
    }
    if (typeof data !== 'object' || data === null || Array.isArray(data)) {
      throw new ValidationError(
        [{ path: '(body)', message: 'must be a JSON object' }],
        'The body must be a JSON object.',
      );
    }
    return { format, data: data as Record<string, unknown> };
  }
  let form: Record<string, unknown>;
  try {
    form = await c.req.parseBody({ all: false });
  } catch {
    throw new ValidationError(
      [{ path: '(body)', message: 'is not a valid form body' }],
      'The form body could not be read.',
    );
  }
  for (const [key, value] of Object.entries(form)) {
    if (typeof value !== 'string') throw new ValidationError([{ path: key, message: 'must be text, not a file' }]);
  }
  return { format, data: form };
}
