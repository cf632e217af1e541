/**
 * The API alone in its own process, for benchmarks: the load generator then does not take CPU
 * from the server it measures. Prints `api: <base url>` once it serves.
 */
import { serveNodeHandler } from '@spot/testing';
import { ensureDatabase, handleTrpcRequest } from '../src/http.ts';

await ensureDatabase();
const served = await serveNodeHandler(handleTrpcRequest);
console.log(`api: ${served.baseUrl}`);
process.on('SIGTERM', () => {
  void served.close().finally(() => process.exit(0));
});
