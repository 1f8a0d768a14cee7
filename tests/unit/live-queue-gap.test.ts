// The live queue's announcements under a storm on a watched site: the gap to the next one grows with the
// time the last one's counts took (10×), so counting a big site stays about a tenth of a process's time,
// from the 100 ms floor up to a 2 s ceiling (a change still reaches the tabs within a couple of seconds).
import { describe, expect, it } from 'vitest';
import { flushGapMs } from '../../src/review/live-queue.service.ts';

describe('the gap between two live queue announcements', () => {
  it('is 100 ms after no count or a quick one', () => {
    expect(flushGapMs(0)).toBe(100);
    expect(flushGapMs(4)).toBe(100);
  });

  it('is ten times the last count once that is longer, so counting takes about a tenth of the time', () => {
    expect(flushGapMs(17)).toBe(170);
    expect(flushGapMs(46)).toBe(460);
    expect(flushGapMs(129)).toBe(1_290);
  });

  it('never exceeds 2 s, however slow the count', () => {
    expect(flushGapMs(400)).toBe(2_000);
    expect(flushGapMs(60_000)).toBe(2_000);
  });
});
