'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { ReasonForm } from '../../../../src/components/reason-form.tsx';
import {
  DISPUTE_OUTCOME_LABELS,
  DISPUTE_REASON_LABELS,
  formatDateTime,
} from '../../../../src/lib/format.ts';
import type { DisputeView } from '../../../../src/trpc/types.ts';

/** The holder's disputes of this ticket with their outcome, and "Open a dispute". */
export function TicketDisputes({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const disputes = useQuery({
    ...trpc.moderation.myDisputes.queryOptions({ ticketId }),
    staleTime: 0,
  });
  const items = disputes.data?.items ?? [];
  const hasOpen = items.some((dispute) => dispute.status === 'open');

  return (
    <section className="cancel-ticket" aria-labelledby="disputes-heading">
      <h2 id="disputes-heading">Problem with this ticket?</h2>
      {disputes.isError && (
        <p role="alert" className="form-error">
          {disputes.error.message}
        </p>
      )}
      {items.length > 0 && (
        <ul className="ticket-list">
          {items.map((dispute) => (
            <DisputeRow key={dispute.id} dispute={dispute} />
          ))}
        </ul>
      )}
      {disputes.isSuccess && !hasOpen && <OpenDispute ticketId={ticketId} />}
    </section>
  );
}

function DisputeRow({ dispute }: { dispute: DisputeView }) {
  const { resolution } = dispute;
  return (
    <li>
      <p className="ticket-title">
        {DISPUTE_REASON_LABELS[dispute.reason]}:{' '}
        <span className="badge">
          {resolution ? DISPUTE_OUTCOME_LABELS[resolution.outcome] : 'Open, under review'}
        </span>
      </p>
      <p className="meta">Opened {formatDateTime(dispute.createdAt)}</p>
      {resolution && (
        <p>
          Answered {formatDateTime(resolution.at)}: {resolution.note}
          {resolution.newTicketId && (
            <>
              {' '}
              <Link href={`/me/tickets/${resolution.newTicketId}`}>Your new ticket</Link>
            </>
          )}
        </p>
      )}
    </li>
  );
}

function OpenDispute({ ticketId }: { ticketId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const dispute = useMutation(
    trpc.moderation.openDispute.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        return queryClient.invalidateQueries(trpc.moderation.myDisputes.pathFilter());
      },
    }),
  );

  if (!open) {
    return (
      <button type="button" className="secondary" onClick={() => setOpen(true)}>
        Open a dispute
      </button>
    );
  }
  return (
    <ReasonForm
      title="Open a dispute"
      reasons={DISPUTE_REASON_LABELS}
      initialReason="refused_at_door"
      reasonLabel="What happened?"
      textLabel="Tell us more"
      textRequired
      submitLabel="Send dispute"
      pending={dispute.isPending}
      error={dispute.error}
      onSubmit={(input) => dispute.mutate({ ticketId, ...input })}
      onCancel={() => setOpen(false)}
    />
  );
}
