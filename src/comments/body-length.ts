// A site's own limits on comment length, within the schema's absolute cap. Too short or too long is
// something the reader can fix, so it is answered like any invalid field (400), not held or rejected.
import { ValidationError } from '../shared/errors.ts';
import { codePointLength } from '../shared/text.ts';
import type { SiteSettings } from '../sites/site-settings.ts';

export function checkBodyLength(settings: Pick<SiteSettings, 'minBodyLength' | 'maxBodyLength'>, body: string): void {
  const length = codePointLength(body);
  if (length < settings.minBodyLength) {
    throw new ValidationError([
      { path: 'body', message: `must be at least ${settings.minBodyLength} characters (it has ${length})` },
    ]);
  }
  if (length > settings.maxBodyLength) {
    throw new ValidationError([
      { path: 'body', message: `must be at most ${settings.maxBodyLength} characters (it has ${length})` },
    ]);
  }
}
