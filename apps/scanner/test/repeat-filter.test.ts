import { describe, expect, it } from 'vitest';
import { createRepeatFilter } from '../src/core/repeat-filter.ts';

describe('the camera repeat filter', () => {
  function setup(windowMs = 3_000) {
    const clock = { now: 0 };
    const filter = createRepeatFilter(windowMs, () => clock.now);
    /** The camera sees `code` every 100 ms for `ms`; returns how many reads were taken. */
    const hold = (code: string, ms: number, paused = false) => {
      let taken = 0;
      for (let elapsed = 0; elapsed < ms; elapsed += 100) {
        if (filter.accept(code, paused)) taken += 1;
        clock.now += 100;
      }
      return taken;
    };
    return { clock, filter, hold };
  }

  it('takes a ticket held in front of the camera once, however long it stays', () => {
    const { hold } = setup();
    expect(hold('ticket-A', 10_000)).toBe(1);
  });

  it('takes the same ticket again only after it was out of sight for the window', () => {
    const { clock, hold } = setup();
    expect(hold('ticket-A', 500)).toBe(1);
    clock.now += 1_000;
    expect(hold('ticket-A', 500)).toBe(0);
    clock.now += 3_000;
    expect(hold('ticket-A', 500)).toBe(1);
  });

  it('takes the next ticket at once', () => {
    const { hold } = setup();
    expect(hold('ticket-A', 500)).toBe(1);
    expect(hold('ticket-B', 500)).toBe(1);
    expect(hold('ticket-A', 500)).toBe(1);
  });

  it('while the result is shown, keeps the scanned ticket suppressed and does not consume new ones', () => {
    const { hold } = setup();
    expect(hold('ticket-A', 300)).toBe(1);
    // Result screen up for 2.5 s, ticket A still in view: not taken when scanning resumes.
    expect(hold('ticket-A', 2_500, true)).toBe(0);
    expect(hold('ticket-A', 1_000)).toBe(0);
    // The next person's ticket, shown while the result is still up, is taken right after.
    expect(hold('ticket-B', 500, true)).toBe(0);
    expect(hold('ticket-B', 100)).toBe(1);
  });
});
