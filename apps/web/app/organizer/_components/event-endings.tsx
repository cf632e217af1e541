'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { EventStatus } from '../../../src/trpc/types.ts';

interface Props {
  eventId: string;
  title: string;
  status: EventStatus;
  ticketsSold: number;
}

type Ending = 'cancel' | 'delete';

const CONFIRMATIONS: Record<Ending, { verb: string; ask: string; yes: string; pending: string }> = {
  cancel: {
    verb: 'Cancel',
    ask: 'Every ticket is cancelled and refunded, and the event page says it is off. This cannot be undone.',
    yes: 'Yes, cancel the event',
    pending: 'Cancelling…',
  },
  delete: {
    verb: 'Delete',
    ask: 'The event is gone for good.',
    yes: 'Yes, delete it',
    pending: 'Deleting…',
  },
};

/**
 * Calling an event off (its tickets cancelled and refunded), or deleting one nobody has a ticket
 * for. Each asks once more before it goes to the server, which decides whether it may.
 */
export function EventEndings({ eventId, title, status, ticketsSold }: Props) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const [asking, setAsking] = useState<Ending | null>(null);
  const cancel = useMutation(
    trpc.events.cancel.mutationOptions({
      onSuccess: () => {
        setAsking(null);
        return Promise.all([
          queryClient.invalidateQueries(trpc.events.mine.pathFilter()),
          queryClient.invalidateQueries(trpc.events.get.queryFilter({ id: eventId })),
        ]);
      },
    }),
  );
  const remove = useMutation(
    trpc.events.delete.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.events.mine.pathFilter());
        router.push('/organizer/events');
      },
    }),
  );

  const cancellable = status === 'draft' || status === 'published';
  const deletable = ticketsSold === 0 && status !== 'removed';
  if (cancel.data) {
    return (
      <p role="status" className="notice">
        Event cancelled: {cancel.data.ticketsCancelled}{' '}
        {cancel.data.ticketsCancelled === 1 ? 'ticket' : 'tickets'} cancelled and refunded.
      </p>
    );
  }
  if (!cancellable && !deletable) return null;

  const running = asking === 'cancel' ? cancel : remove;
  return (
    <section aria-labelledby="event-endings" className="endings">
      <h2 id="event-endings">Call it off</h2>
      {asking ? (
        <fieldset>
          <legend>{`${CONFIRMATIONS[asking].verb} “${title}”?`}</legend>
          <p>{CONFIRMATIONS[asking].ask}</p>
          <button
            type="button"
            className="danger"
            disabled={running.isPending}
            onClick={() => running.mutate({ id: eventId })}
          >
            {running.isPending ? CONFIRMATIONS[asking].pending : CONFIRMATIONS[asking].yes}
          </button>{' '}
          <button
            type="button"
            className="secondary"
            disabled={running.isPending}
            onClick={() => setAsking(null)}
          >
            Keep it
          </button>
        </fieldset>
      ) : (
        <p>
          {cancellable && (
            <button type="button" className="secondary" onClick={() => setAsking('cancel')}>
              Cancel event…
            </button>
          )}{' '}
          {deletable && (
            <button type="button" className="secondary" onClick={() => setAsking('delete')}>
              Delete event…
            </button>
          )}
        </p>
      )}
      {running.error && (
        <p role="alert" className="form-error">
          {running.error.message}
        </p>
      )}
    </section>
  );
}
