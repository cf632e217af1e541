import { request as httpRequest, type IncomingMessage } from 'node:http';
import { text } from 'node:stream/consumers';
import { expect, it } from 'vitest';
import { useApi } from './harness.ts';

const api = useApi('spot_request_size');

/** A login whose password field carries `bytes` of padding: far beyond any real input. */
function oversizedLogin(bytes: number): string {
  return JSON.stringify({ json: { email: 'a@example.com', password: 'x'.repeat(bytes) } });
}

async function expectTooLarge(response: Response) {
  expect(response.status).toBe(413);
  const body = (await response.json()) as { error: { json: { data: { code: string } } } };
  expect(body.error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
}

it('a request body over 1 MB is refused with 413 PAYLOAD_TOO_LARGE, over HTTP', async () => {
  const response = await fetch(`${api.baseUrl}/api/trpc/auth.login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: oversizedLogin(2_000_000),
  });
  await expectTooLarge(response);
});

it('a streamed body without a length is cut off at 1 MB (not read to its end)', async () => {
  const url = new URL(`${api.baseUrl}/api/trpc/auth.login`);
  const chunk = Buffer.alloc(64 * 1024, 'x');
  let sent = 0;
  const response = await new Promise<IncomingMessage>((resolve, reject) => {
    // Chunked: no length is declared, so the server can only count what arrives.
    const request = httpRequest(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
    });
    request.on('response', resolve);
    request.on('error', reject);
    const pump = () => {
      while (sent < 50_000_000 && !request.destroyed) {
        sent += chunk.byteLength;
        if (!request.write(chunk)) return void request.once('drain', pump);
      }
      request.end();
    };
    pump();
  });
  const body = await text(response);
  expect(response.statusCode).toBe(413);
  expect(JSON.parse(body).error.json.data.code).toBe('PAYLOAD_TOO_LARGE');
  expect(sent).toBeLessThan(5_000_000);
});
