/**
 * Runs once when the server starts, in the Node.js runtime only: the environment is validated
 * (Next would log an error thrown here and go on listening, so a bad one ends the process), then
 * the API's background jobs start.
 */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  (await import('@spot/config')).configOrExit();
  (await import('@spot/api/http')).startBackgroundJobs();
}
