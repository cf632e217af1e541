'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { When } from '../../../../src/components/when.tsx';
import { formatMoney } from '../../../../src/lib/format.ts';
import type { TicketDetail } from '../../../../src/trpc/types.ts';
import { TicketStatus, TicketsProblem } from '../ticket-status.tsx';
import { TicketDisputes } from './ticket-disputes.tsx';

/** One of the caller's tickets (`tickets.get`): the QR code to show at the door, and cancelling. */
export function TicketDetailView({ id }: { id: string }) {
  const trpc = useTRPC();
  const ticket = useQuery({ ...trpc.tickets.get.queryOptions({ id }), staleTime: 0 });

  if (ticket.isPending) return <p aria-live="polite">Loading your ticket…</p>;
  if (ticket.isError) {
    return (
      <section>
        <h1>Ticket</h1>
        <TicketsProblem error={ticket.error} next={`/me/tickets/${id}`} />
        <p className="aside">
          <Link href="/me/tickets">All my tickets</Link>
        </p>
      </section>
    );
  }
  return <TicketCard ticket={ticket.data} />;
}

function TicketCard({ ticket }: { ticket: TicketDetail }) {
  return (
    <article className="ticket">
      <p className="aside">
        <Link href="/me/tickets">All my tickets</Link>
      </p>
      <h1>{ticket.event?.title ?? 'Event no longer available'}</h1>
      {ticket.event && (
        <p className="meta">
          <When start={ticket.event.startDate} end={ticket.event.endDate} /> · {ticket.event.city} ·{' '}
          <Link href={`/events/${ticket.eventId}`}>Event page</Link>
        </p>
      )}
      <p>
        <TicketStatus ticket={ticket} />
      </p>
      <figure className={`qr${ticket.status === 'valid' ? '' : ' qr-void'}`}>
        {/* biome-ignore lint/performance/noImgElement: a data URL from the server, shown as is */}
        <img
          src={ticket.qrImage}
          alt={`QR code for ticket ${ticket.ticketCode}`}
          width={320}
          height={320}
        />
        <figcaption>
          Ticket code <code className="ticket-code">{ticket.ticketCode}</code>
        </figcaption>
      </figure>
      <dl className="facts">
        <div>
          <dt>Price</dt>
          <dd>
            {ticket.price > 0 && ticket.currency
              ? formatMoney(ticket.price, ticket.currency)
              : 'Free'}
            {ticket.refunded ? ' · refunded' : ''}
          </dd>
        </div>
      </dl>
      {ticket.status === 'valid' && <CancelTicket ticket={ticket} />}
      <TicketDisputes ticketId={ticket.id} />
    </article>
  );
}

function CancelTicket({ ticket }: { ticket: TicketDetail }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.tickets.cancel.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.tickets.get.queryFilter({ id: ticket.id })),
          queryClient.invalidateQueries(trpc.tickets.mine.infiniteQueryFilter()),
        ]),
    }),
  );
  const problem = formError(cancel.error);

  return (
    <section className="cancel-ticket" aria-label="Cancel ticket">
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      {!ticket.canCancel ? (
        <p className="aside">This ticket cannot be cancelled.</p>
      ) : confirming ? (
        <div className="row">
          <span>Cancel this ticket? Its price is refunded and it no longer gets you in.</span>
          <button
            type="button"
            onClick={() => cancel.mutate({ id: ticket.id })}
            disabled={cancel.isPending}
          >
            {cancel.isPending ? 'Cancelling…' : 'Yes, cancel it'}
          </button>
          <button type="button" className="secondary" onClick={() => setConfirming(false)}>
            Keep it
          </button>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setConfirming(true)}>
          Cancel ticket
        </button>
      )}
    </section>
  );
}
