'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import dynamic from 'next/dynamic';
import Link from 'next/link';
import { useCallback } from 'react';
import { formatMoney } from '../../../src/lib/format.ts';
import type { HoldView } from '../../../src/trpc/types.ts';
import { formatSeconds, useSecondsLeft } from './countdown.tsx';

// Stripe.js comes from js.stripe.com: only pages that take a card payment load it.
const StripePayment = dynamic(
  () => import('./stripe-payment.tsx').then((module) => module.StripePayment),
  { ssr: false, loading: () => <p aria-live="polite">Loading the payment form…</p> },
);

/** Inlined at build time; without it the card form cannot load (the server still takes webhooks). */
const PUBLISHABLE_KEY = process.env.NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY ?? '';

/** How often an open checkout asks the server whether the payment landed (webhook-driven). */
const POLL_MS = 2000;

/**
 * The checkout of one hold: what the server holds and charges, the time left, the payment, then
 * the result. Everything shown comes from `tickets.holdStatus`.
 */
export function Checkout({ holdId }: { holdId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const hold = useQuery({
    ...trpc.tickets.holdStatus.queryOptions({ holdId }),
    staleTime: 0,
    refetchInterval: (query) => (query.state.data?.status === 'pending' ? POLL_MS : false),
  });
  const refresh = useCallback(
    () => queryClient.invalidateQueries(trpc.tickets.holdStatus.queryFilter({ holdId })),
    [queryClient, trpc, holdId],
  );

  if (hold.isPending) return <p aria-live="polite">Loading your order…</p>;
  if (hold.isError) {
    const code = hold.error.data?.code;
    return (
      <section className="card checkout" role="alert">
        <h1>Checkout</h1>
        {code === 'UNAUTHORIZED' ? (
          <p>
            Please{' '}
            <Link href={`/login?next=${encodeURIComponent(`/checkout/${holdId}`)}`}>log in</Link> to
            see this order.
          </p>
        ) : (
          <p className="form-error">{hold.error.message}</p>
        )}
        <p className="aside">
          <Link href="/">Explore events</Link>
        </p>
      </section>
    );
  }
  return <CheckoutView hold={hold.data} onChange={refresh} />;
}

function Summary({ hold }: { hold: HoldView }) {
  return (
    <dl className="facts">
      <div>
        <dt>Tickets</dt>
        <dd>{hold.quantity}</dd>
      </div>
      <div>
        <dt>Total</dt>
        <dd className="amount">{formatMoney(hold.amount, hold.currency)}</dd>
      </div>
    </dl>
  );
}

function CheckoutView({ hold, onChange }: { hold: HoldView; onChange: () => void }) {
  const backToEvent = <Link href={`/events/${hold.eventId}`}>Back to the event</Link>;
  switch (hold.status) {
    case 'issued':
      return (
        <section className="card checkout" aria-live="polite">
          <h1>You're going!</h1>
          <Summary hold={hold} />
          <p className="notice" role="status">
            Payment received: {hold.ticketIds.length === 1 ? 'your ticket is' : 'your tickets are'}{' '}
            ready.
          </p>
          {hold.outcome && <p>{hold.outcome}</p>}
          <p>
            <Link href="/me/tickets" className="button">
              Your tickets
            </Link>
          </p>
        </section>
      );
    case 'pending':
      return <OpenCheckout hold={hold} onChange={onChange} />;
    default:
      // expired, released, refunded: the server's reason when it gave one.
      return (
        <section className="card checkout">
          <h1>{hold.status === 'expired' ? 'Your hold expired' : 'Order not completed'}</h1>
          <Summary hold={hold} />
          <p role="alert" className="form-error">
            {hold.outcome ??
              (hold.status === 'expired'
                ? 'The time to pay ran out and your places went back on sale.'
                : 'This order was not completed.')}
          </p>
          {hold.refunded > 0 && <p>Refunded: {formatMoney(hold.refunded, hold.currency)}</p>}
          <p>{backToEvent}</p>
        </section>
      );
  }
}

function OpenCheckout({ hold, onChange }: { hold: HoldView; onChange: () => void }) {
  const trpc = useTRPC();
  const secondsLeft = useSecondsLeft(hold.expiresAt, onChange);
  const pay = useMutation(trpc.payments.simulatePay.mutationOptions({ onSettled: onChange }));
  const abandon = useMutation(trpc.tickets.abandon.mutationOptions({ onSettled: onChange }));
  const problem = formError(pay.error) ?? formError(abandon.error);
  const busy = pay.isPending || abandon.isPending || secondsLeft === 0;

  return (
    <section className="card checkout">
      <h1>Checkout</h1>
      <Summary hold={hold} />
      <p className="countdown" role="timer" aria-live="off">
        Your places are held for <strong>{formatSeconds(secondsLeft)}</strong>
      </p>
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {hold.provider === 'simulated' ? (
        <div className="payment">
          <p className="aside">Test mode: payments are simulated, no card is charged.</p>
          <button
            type="button"
            onClick={() => pay.mutate({ holdId: hold.holdId })}
            disabled={busy || pay.isSuccess}
          >
            {pay.isPending ? 'Paying…' : `Pay ${formatMoney(hold.amount, hold.currency)}`}
          </button>
        </div>
      ) : PUBLISHABLE_KEY && hold.clientSecret ? (
        <StripePayment
          publishableKey={PUBLISHABLE_KEY}
          clientSecret={hold.clientSecret}
          holdId={hold.holdId}
          onSubmitted={onChange}
        />
      ) : (
        <p className="aside" role="status">
          The card form needs Stripe's publishable key (NEXT_PUBLIC_STRIPE_PUBLISHABLE_KEY), which
          this site does not have. This page updates as soon as the payment is confirmed.
        </p>
      )}
      <p>
        <button
          type="button"
          className="link-button"
          onClick={() => abandon.mutate({ holdId: hold.holdId })}
          disabled={busy}
        >
          Cancel this order
        </button>
      </p>
    </section>
  );
}
