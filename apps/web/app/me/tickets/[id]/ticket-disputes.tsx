'use client';

import { fieldErrors, formError, SelectField, TextAreaField, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import {
  DISPUTE_OUTCOME_LABELS,
  DISPUTE_REASON_LABELS,
  formatDateTime,
} from '../../../../src/lib/format.ts';
import type { DisputeReason, DisputeView } from '../../../../src/trpc/types.ts';

const REASONS = Object.keys(DISPUTE_REASON_LABELS) as DisputeReason[];

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
  const [reason, setReason] = useState<DisputeReason>('refused_at_door');
  const [text, setText] = useState('');
  const dispute = useMutation(
    trpc.moderation.openDispute.mutationOptions({
      onSuccess: () => {
        setOpen(false);
        setText('');
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
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    dispute.mutate({ ticketId, reason, text });
  };
  const problem = formError(dispute.error);
  return (
    <form className="form" onSubmit={onSubmit} aria-label="Open a dispute">
      <SelectField
        name="reason"
        label="What happened?"
        value={reason}
        onChange={(event) => setReason(event.target.value as DisputeReason)}
        errors={fieldErrors(dispute.error, 'reason')}
      >
        {REASONS.map((value) => (
          <option key={value} value={value}>
            {DISPUTE_REASON_LABELS[value]}
          </option>
        ))}
      </SelectField>
      <TextAreaField
        name="text"
        label="Tell us more"
        rows={4}
        required
        value={text}
        onChange={(event) => setText(event.target.value)}
        errors={fieldErrors(dispute.error, 'text')}
      />
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={dispute.isPending}>
          {dispute.isPending ? 'Sending…' : 'Send dispute'}
        </button>
        <button type="button" className="secondary" onClick={() => setOpen(false)}>
          Cancel
        </button>
      </div>
    </form>
  );
}
