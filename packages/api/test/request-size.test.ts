import { expect, it } from 'vitest';
import { handleTrpcRequest } from '../src/http.ts';
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
  let sent = 0;
  const endless = new ReadableStream<Uint8Array>({
    pull(controller) {
      sent += 64 * 1024;
      if (sent > 50_000_000) controller.close();
      else controller.enqueue(new Uint8Array(64 * 1024).fill(120));
    },
  });
  const response = await handleTrpcRequest(
    new Request('http://localhost/api/trpc/auth.login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: endless,
      duplex: 'half',
    } as RequestInit),
  );
  await expectTooLarge(response);
  expect(sent).toBeLessThan(5_000_000);
});
