// The honeypot: a form field people never see. Bots fill in every field they find.
import type { Filter } from './filter.ts';

export const honeypotFilter: Filter = {
  name: 'honeypot',
  run({ comment }) {
    if (comment.website === null || comment.website.trim() === '') return null;
    return { action: 'spam', code: 'honeypot', detail: 'The hidden "website" field was filled in, as bots do.' };
  },
};
