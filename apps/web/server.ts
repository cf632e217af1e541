/**
 * The web server (`pnpm dev`, `pnpm start`): calls to the tRPC endpoint go straight to the API's
 * handler, everything else to Next. Through Next's router each API call cost about 350 µs more
 * CPU, as much again as a door scan's own work in the API (see README, "The tRPC endpoint").
 */
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { handleTrpcRequest, startBackgroundJobs, TRPC_ENDPOINT } from '@spot/api/http';
import { configOrExit } from '@spot/config';
import next from 'next';
import { SECURITY_HEADERS } from './security-headers.ts';

// A bad environment stops the server here, with one message naming every offending variable,
// rather than letting it listen and fail every request.
const config = configOrExit();

const app = next({ dev: process.env.NODE_ENV !== 'production', dir: import.meta.dirname });
const handleNext = app.getRequestHandler();
await app.prepare();

function serveTrpc(req: IncomingMessage, res: ServerResponse) {
  for (const { key, value } of SECURITY_HEADERS) res.setHeader(key, value);
  handleTrpcRequest(req, res).catch((error) => {
    console.error('A tRPC request failed:', error);
    res.destroy();
  });
}

const server = createServer((req, res) => {
  if (req.url?.startsWith(`${TRPC_ENDPOINT}/`)) serveTrpc(req, res);
  else void handleNext(req, res);
});
server.listen(config.WEB_PORT, () => {
  console.log(`Spot web on http://localhost:${config.WEB_PORT}`);
  startBackgroundJobs();
});
process.once('SIGTERM', () => server.close(() => process.exit(0)));
