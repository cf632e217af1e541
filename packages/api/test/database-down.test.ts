/** A web server whose database is not up (yet): this file's database refuses every connection. */
import { afterEach, expect, it, vi } from 'vitest';

afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
  vi.unstubAllEnvs();
});

/** The API's HTTP module, configured with a connection string the driver refuses at once. */
async function httpModule() {
  vi.stubEnv('MONGODB_URI', 'mongodb://db.invalid:1:2/spot');
  return import('../src/http.ts');
}

it('housekeeping starts while the database is unreachable, and each job retries at its interval', async () => {
  const { startBackgroundJobs } = await httpModule();
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

it('the health check answers 503 at once, for the load balancer to route elsewhere', async () => {
  const { handleHealthRequest } = await httpModule();
  const started = Date.now();
  const response = await handleHealthRequest();
  expect(Date.now() - started).toBeLessThan(1000);
  expect(response.status).toBe(503);
  expect(response.headers.get('cache-control')).toBe('no-store');
  expect(await response.json()).toMatchObject({ status: 'unavailable', database: 'down' });
});
