// Stripe's webhook endpoint. The raw body goes to @spot/api untouched (the signature is computed
// over it), so the Request is passed through as is; verification and handling live there.
import { handleStripeWebhook } from '@spot/api/stripe-webhook';

export const runtime = 'nodejs';
export const dynamic = 'force-dynamic';

export function POST(request: Request): Promise<Response> {
  return handleStripeWebhook(request);
}
