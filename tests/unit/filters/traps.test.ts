import { describe, expect, it } from 'vitest';
import { honeypotFilter } from '../../../src/filters/honeypot.filter.ts';
import { timeTrapFilter } from '../../../src/filters/time-trap.filter.ts';
import { filterInput, NOW } from './filter-input.ts';

describe('honeypot', () => {
  it('marks a comment with the hidden field filled in as spam', () => {
    expect(honeypotFilter.run(filterInput({ comment: { website: 'https://cheap-pills.example' } }))).toMatchObject({
      action: 'spam',
      code: 'honeypot',
    });
  });

  it('leaves it alone when the field is empty or blank', () => {
    expect(honeypotFilter.run(filterInput({ comment: { website: null } }))).toBeNull();
    expect(honeypotFilter.run(filterInput({ comment: { website: '   ' } }))).toBeNull();
  });
});

describe('time trap', () => {
  const after = (ms: number, settings: Record<string, unknown> = {}) =>
    timeTrapFilter.run(filterInput({ comment: { renderedAt: NOW - ms }, settings }));

  it('marks a form submitted faster than the site minimum (3 s by default) as spam', () => {
    expect(after(800)).toMatchObject({ action: 'spam', code: 'time_trap', data: { elapsedMs: 800, minSeconds: 3 } });
    expect(after(2_999)).not.toBeNull();
    expect(after(3_000)).toBeNull();
    expect(after(60_000)).toBeNull();
  });

  it('follows the site setting, and 0 turns it off', () => {
    expect(after(8_000, { minSubmitSeconds: 10 })).not.toBeNull();
    expect(after(0, { minSubmitSeconds: 0 })).toBeNull();
  });

  it('says nothing without a render time, or with one in the future or absurdly old', () => {
    expect(timeTrapFilter.run(filterInput({ comment: { renderedAt: null } }))).toBeNull();
    expect(after(-5_000)).toBeNull();
    expect(after(-Number.MAX_SAFE_INTEGER)).toBeNull();
    expect(timeTrapFilter.run(filterInput({ comment: { renderedAt: 0 } }))).toBeNull();
    expect(timeTrapFilter.run(filterInput({ comment: { renderedAt: Number.MAX_SAFE_INTEGER } }))).toBeNull();
  });
});
