/**
 * The camera reads the same QR code many times a second for as long as it is held up. A code
 * is taken once; the same code again counts only after it has been out of sight for `windowMs`.
 * While the result screen is up (`paused`), the code just scanned keeps being tracked (so it is
 * not taken again as soon as scanning resumes) but new codes are not taken (the next person's
 * ticket is read once the screen is gone).
 */
export function createRepeatFilter(windowMs = 3_000, now: () => number = Date.now) {
  let last: { code: string; seenAt: number } | undefined;
  return {
    /** True when `code` should be handled now. */
    accept(code: string, paused = false): boolean {
      const at = now();
      if (last && last.code === code && at - last.seenAt < windowMs) {
        last.seenAt = at;
        return false;
      }
      if (paused) return false;
      last = { code, seenAt: at };
      return true;
    },
    reset(): void {
      last = undefined;
    },
  };
}
