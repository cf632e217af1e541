'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { type FormEvent, useState } from 'react';
import { formatMoney } from '../../../src/lib/format.ts';

/**
 * Seats left, asked for when the visitor clicks: that request is what the server records as
 * interest in buying. Then a quantity and "Get tickets": the server holds the places (or says
 * they are gone) and the buyer goes to the checkout, or straight to the tickets when free.
 */
export function TicketOptions({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const [asked, setAsked] = useState(false);
  const [quantity, setQuantity] = useState(1);
  const options = useQuery({
    ...trpc.explore.ticketOptions.queryOptions({ id: eventId }),
    enabled: asked,
  });
  const purchase = useMutation(
    trpc.tickets.purchase.mutationOptions({
      onSuccess: (hold) => {
        if (hold.status === 'issued') {
          const [only] = hold.ticketIds;
          router.push(hold.ticketIds.length === 1 && only ? `/me/tickets/${only}` : '/me/tickets');
        } else {
          router.push(`/checkout/${hold.holdId}`);
        }
      },
      onError: (error) => {
        // Buying needs an account: the server says so, the visitor logs in and comes back here.
        if (error.data?.code === 'UNAUTHORIZED') {
          router.push(`/login?next=${encodeURIComponent(`/events/${eventId}`)}`);
        }
      },
    }),
  );

  if (!asked) {
    return (
      <button type="button" onClick={() => setAsked(true)}>
        Get tickets
      </button>
    );
  }
  if (options.isPending) return <p aria-live="polite">Checking seats…</p>;
  if (options.isError) {
    return (
      <p role="alert" className="form-error">
        {options.error.message}
      </p>
    );
  }
  const { soldOut, remaining, capacity, onSale, price, currency, maxPerPurchase } = options.data;
  const choices = Array.from({ length: maxPerPurchase }, (_, index) => index + 1);

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    purchase.mutate({ eventId, quantity });
  }

  const problem = purchase.error?.data?.code === 'UNAUTHORIZED' ? null : formError(purchase.error);
  return (
    <div className="ticket-options" aria-live="polite">
      {soldOut ? (
        <p className="sold-out">Sold out</p>
      ) : (
        <p>
          <strong>{remaining.toLocaleString('en')}</strong> of {capacity.toLocaleString('en')} seats
          left
        </p>
      )}
      <p className="price">{price > 0 ? `${formatMoney(price, currency)} per ticket` : 'Free'}</p>
      {onSale ? (
        <form className="purchase" onSubmit={onSubmit} aria-label="Buy tickets">
          {problem && (
            <p role="alert" className="form-error">
              {problem}
            </p>
          )}
          <div className="field">
            <label htmlFor="ticket-quantity">Quantity</label>
            <select
              id="ticket-quantity"
              name="quantity"
              value={quantity}
              onChange={(event) => setQuantity(Number(event.target.value))}
            >
              {choices.map((count) => (
                <option key={count} value={count}>
                  {count}
                </option>
              ))}
            </select>
          </div>
          <button type="submit" disabled={purchase.isPending || purchase.isSuccess}>
            {purchase.isPending ? 'Holding your places…' : 'Get tickets'}
          </button>
        </form>
      ) : (
        <p className="aside">Tickets are not on sale for this event.</p>
      )}
    </div>
  );
}
