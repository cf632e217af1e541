import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

it('housekeeping starts while the database is unreachable, and each job retries at its interval', async () => {
  // A connection string the driver refuses at once, so every connection attempt fails fast.
  vi.stubEnv('MONGODB_URI', 'mongodb://db.invalid:1:2/spot');
  const { startBackgroundJobs } = await import('../src/http.ts');
  vi.useFakeTimers();
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const failuresOf = (job: string) =>
    errors.mock.calls.filter(([message]) => String(message).startsWith(job)).length;

  startBackgroundJobs();
  // Through the connection's retries (about 18 s of back-off) to the first runs' failures.
  await vi.advanceTimersByTimeAsync(30_000);
  expect(failuresOf('Expired holds closed failed')).toBe(1);
  expect(failuresOf('Check-in reconciler (half-written check-ins undone) failed')).toBe(1);

  await vi.advanceTimersByTimeAsync(60_000);
  expect(failuresOf('Expired holds closed failed')).toBe(2);
});
