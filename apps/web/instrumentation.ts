/** Runs once when the server starts: the API's background jobs live in the Node.js runtime only. */
export async function register(): Promise<void> {
  if (process.env.NEXT_RUNTIME !== 'nodejs') return;
  const { startBackgroundJobs } = await import('@spot/api/http');
  await startBackgroundJobs().catch((error) =>
    console.error('Background jobs did not start (the database is unreachable):', error),
  );
}
