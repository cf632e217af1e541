import type { ApiError } from '@spot/ui';
import Link from 'next/link';
import type { TicketItem } from '../../../src/trpc/types.ts';

export const TICKET_STATUS: Record<TicketItem['status'], string> = {
  valid: 'Valid',
  used: 'Used',
  cancelled: 'Cancelled',
};

export function TicketStatus({ ticket }: { ticket: Pick<TicketItem, 'status' | 'event'> }) {
  const eventCancelled = ticket.event?.status === 'cancelled';
  return (
    <span className={`badge ticket-${ticket.status}`}>
      {TICKET_STATUS[ticket.status]}
      {eventCancelled && ticket.status !== 'cancelled' ? ' · event cancelled' : ''}
    </span>
  );
}

/** A failed tickets query, as the server answered it. */
export function TicketsProblem({ error, next }: { error: ApiError; next: string }) {
  if (error.data?.code === 'UNAUTHORIZED') {
    return (
      <p role="alert" className="form-error">
        Please <Link href={`/login?next=${encodeURIComponent(next)}`}>log in</Link> to see your
        tickets.
      </p>
    );
  }
  return (
    <p role="alert" className="form-error">
      {error.message}
    </p>
  );
}
