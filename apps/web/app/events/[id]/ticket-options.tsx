'use client';

import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTRPC } from '../../../src/trpc/client.ts';

/**
 * Seats left, asked for when the visitor clicks: that request is what the server records as
 * interest in buying. Purchase itself comes later.
 */
export function TicketOptions({ eventId }: { eventId: string }) {
  const trpc = useTRPC();
  const [asked, setAsked] = useState(false);
  const options = useQuery({
    ...trpc.explore.ticketOptions.queryOptions({ id: eventId }),
    enabled: asked,
  });

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
  const { soldOut, remaining, capacity, onSale } = options.data;
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
      {onSale ? (
        <button type="button" disabled>
          Tickets on sale soon
        </button>
      ) : (
        <p className="aside">Tickets are not on sale for this event.</p>
      )}
    </div>
  );
}
