/**
 * What the buyer's card and Stripe do, on the tests' request. The local Stripe stand-in lives in
 * the global-setup process; browser tests run in workers, so they reach it over HTTP:
 *
 *   POST /pay?holdId=…  the hold's PaymentIntent succeeds (as if the card went through), then
 *                       `payment_intent.succeeded` is delivered to the app's webhook, signed
 *                       with the webhook secret exactly as Stripe signs it. Answers
 *                       `{ paymentIntentId, webhookStatus }`.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LocalStripe } from '@spot/testing';

export async function startStripeControl(stripe: LocalStripe, webhookUrl: string) {
  const server = createServer(async (req, res) => {
    const reply = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (req.method !== 'POST' || url.pathname !== '/pay') {
        reply(404, { error: 'POST /pay?holdId=… only' });
        return;
      }
      const holdId = url.searchParams.get('holdId');
      const intent = [...stripe.paymentIntents.values()].find(
        (candidate) => candidate.metadata.holdId === holdId,
      );
      if (!intent) {
        reply(404, { error: `no PaymentIntent for hold ${holdId}` });
        return;
      }
      const succeeded = stripe.succeed(intent.id);
      const delivered = await stripe.deliver(
        webhookUrl,
        stripe.event('payment_intent.succeeded', succeeded),
      );
      reply(200, { paymentIntentId: intent.id, webhookStatus: delivered.status });
    } catch (error) {
      reply(500, { error: String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
