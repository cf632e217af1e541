'use client';

import { Elements, PaymentElement, useElements, useStripe } from '@stripe/react-stripe-js';
import { loadStripe, type Stripe } from '@stripe/stripe-js';
import { type FormEvent, useState } from 'react';

let stripePromise: Promise<Stripe | null> | undefined;

/** Stripe.js from js.stripe.com, loaded on first use only (never on pages that do not pay). */
function getStripe(publishableKey: string): Promise<Stripe | null> {
  stripePromise ??= loadStripe(publishableKey);
  return stripePromise;
}

interface Props {
  publishableKey: string;
  clientSecret: string;
  holdId: string;
  /** The payment went through on Stripe's side: the server's webhook issues the tickets. */
  onSubmitted: () => void;
}

/** Stripe's Payment Element for the hold's PaymentIntent (the amount was set by the server). */
export function StripePayment({ publishableKey, clientSecret, holdId, onSubmitted }: Props) {
  return (
    <Elements stripe={getStripe(publishableKey)} options={{ clientSecret }}>
      <PaymentForm holdId={holdId} onSubmitted={onSubmitted} />
    </Elements>
  );
}

function PaymentForm({ holdId, onSubmitted }: { holdId: string; onSubmitted: () => void }) {
  const stripe = useStripe();
  const elements = useElements();
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!stripe || !elements) return;
    setPending(true);
    setMessage(null);
    const result = await stripe.confirmPayment({
      elements,
      // Methods that leave the page (3-D Secure, bank redirects) come back to this checkout.
      confirmParams: { return_url: `${window.location.origin}/checkout/${holdId}` },
      redirect: 'if_required',
    });
    setPending(false);
    if (result.error) setMessage(result.error.message ?? 'The payment did not go through.');
    else onSubmitted();
  }

  return (
    <form onSubmit={onSubmit} className="stripe-payment">
      {message && (
        <p role="alert" className="form-error">
          {message}
        </p>
      )}
      <PaymentElement />
      <button type="submit" disabled={!stripe || !elements || pending}>
        {pending ? 'Paying…' : 'Pay'}
      </button>
    </form>
  );
}
