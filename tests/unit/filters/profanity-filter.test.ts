import { describe, expect, it } from 'vitest';
import { profanityFilter } from '../../../src/filters/profanity.filter.ts';
import { filterInput } from './filter-input.ts';

describe('profanity filter', () => {
  it('holds by default, recording each word with its field and place in the original text', () => {
    const verdict = profanityFilter.run(
      filterInput({ comment: { name: 'B1tch Slayer', body: 'What the f.u.c.k is this' } }),
    );
    expect(verdict).toMatchObject({ action: 'hold', code: 'profanity' });
    expect(verdict?.data?.matches).toEqual([
      { field: 'name', word: 'bitch', start: 0, end: 5, text: 'B1tch' },
      { field: 'body', word: 'fuck', start: 9, end: 16, text: 'f.u.c.k' },
    ]);
    expect(verdict?.detail).toContain('"bitch" in name');
  });

  it('uses the site action, or none', () => {
    const text = { body: 'total bullshit' };
    expect(profanityFilter.run(filterInput({ comment: text, settings: { profanityAction: 'reject' } }))).toMatchObject({
      action: 'reject',
    });
    expect(profanityFilter.run(filterInput({ comment: text, settings: { profanityAction: 'spam' } }))).toMatchObject({
      action: 'spam',
    });
    expect(profanityFilter.run(filterInput({ comment: text, settings: { profanityAction: 'off' } }))).toBeNull();
  });

  it('uses the site additions and exceptions', () => {
    const settings = { profanityWords: ['frak'], profanityExceptions: ['bullshit'] };
    const verdict = profanityFilter.run(filterInput({ comment: { body: 'Fr4k this bullshit' }, settings }));
    expect(verdict?.data?.matches).toEqual([{ field: 'body', word: 'frak', start: 0, end: 4, text: 'Fr4k' }]);
  });

  it('lets innocent text through', () => {
    expect(
      profanityFilter.run(
        filterInput({
          comment: { name: 'Dick Dickens', body: 'The Scunthorpe therapist ordered a cocktail with shiitake.' },
        }),
      ),
    ).toBeNull();
  });
});
