// The site's moderation mode: hold everything, hold an author's comments until one is approved
// (WordPress's default), or publish what passes the other filters.
import { trustVerdict } from '../moderation/trust.ts';
import type { Filter } from './filter.ts';

export const trustFilter: Filter = {
  name: 'trust',
  run({ settings, author }) {
    return trustVerdict(settings.moderation, author.approved > 0);
  },
};
