import { ensureDatabase } from '@spot/api/http';
import { configOrExit, type Env } from '@spot/config';
import { startRealtimeServer } from './server.ts';

/** The web app and the scanner PWA; both connect with credentials. */
function browserOrigins(config: Env): string[] {
  return [new URL(config.WEB_URL).origin, new URL(config.SCANNER_URL).origin];
}

/** Sessions and room checks read the database, so sockets are accepted only once it answers. */
async function waitForDatabase(): Promise<void> {
  for (;;) {
    try {
      await ensureDatabase();
      return;
    } catch (error) {
      console.warn(`realtime: database not reachable yet (${String(error)}); retrying`);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
  }
}

const config = configOrExit('realtime');
await waitForDatabase();
const server = await startRealtimeServer({
  port: config.REALTIME_PORT,
  redisUrl: config.REDIS_URL,
  corsOrigins: browserOrigins(config),
});
console.log(`realtime: Socket.io listening on http://localhost:${server.port} (health: /health)`);
if (!config.REDIS_URL) console.log('realtime: REDIS_URL is not set, live updates are off');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void server.close().finally(() => process.exit(0));
  });
}
