'use client';

import { fieldErrors, formError, TextAreaField, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import {
  DISPUTE_OUTCOME_LABELS,
  DISPUTE_REASON_LABELS,
  formatDateTime,
  formatMoney,
  STATUS_LABELS,
} from '../../../../src/lib/format.ts';
import type { DisputeOutcome, RouterOutputs } from '../../../../src/trpc/types.ts';
import { ApiProblem } from '../../_components/api-problem.tsx';
import styles from '../../admin.module.css';

type Detail = RouterOutputs['admin']['dispute'];

const money = (amount: number, currency: string | null) =>
  currency ? formatMoney(amount, currency) : String(amount);

/** One dispute with everything known about its ticket, and the decision. */
export function DisputeDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.admin.dispute.queryOptions({ id }), staleTime: 0 });

  return (
    <section aria-labelledby="admin-dispute">
      <p className="aside">
        <Link href="/admin/disputes">← Disputes</Link>
      </p>
      {detail.isPending && <p>Loading…</p>}
      {detail.isError && <ApiProblem error={detail.error} />}
      {detail.data && <DisputeView detail={detail.data} />}
    </section>
  );
}

function DisputeView({ detail }: { detail: Detail }) {
  const { dispute, holder, ticket, event, payment, checkIn, failedScans } = detail;
  return (
    <>
      <h1 id="admin-dispute">{DISPUTE_REASON_LABELS[dispute.reason]}</h1>
      <p className="meta">
        Opened {formatDateTime(dispute.createdAt)} by {holder?.name ?? 'a former user'}
        {holder ? ` (${holder.email})` : ''}
      </p>
      <blockquote className={styles.note}>{dispute.text}</blockquote>
      <div className={styles.details}>
        <div className={styles.box}>
          <h2>Ticket</h2>
          {ticket ? (
            <dl>
              <dt>Code</dt>
              <dd>
                <code>{ticket.ticketCode}</code>
              </dd>
              <dt>Status</dt>
              <dd>{ticket.status}</dd>
              <dt>Price</dt>
              <dd>{ticket.price > 0 ? money(ticket.price, ticket.currency) : 'Free'}</dd>
              <dt>Issued</dt>
              <dd>{formatDateTime(ticket.createdAt)}</dd>
              {ticket.cancelledAt && (
                <>
                  <dt>Cancelled</dt>
                  <dd>
                    {formatDateTime(ticket.cancelledAt)}
                    {ticket.cancelledBy ? ` by ${ticket.cancelledBy}` : ''}
                  </dd>
                </>
              )}
              <dt>Refund</dt>
              <dd>{ticket.refundId ?? 'None'}</dd>
            </dl>
          ) : (
            <p>The ticket no longer exists.</p>
          )}
        </div>
        <div className={styles.box}>
          <h2>Event</h2>
          {event ? (
            <dl>
              <dt>Title</dt>
              <dd>
                <Link href={`/events/${event.id}`}>{event.title}</Link>
              </dd>
              <dt>When</dt>
              <dd>{formatDateTime(event.startDate)}</dd>
              <dt>Where</dt>
              <dd>{event.city}</dd>
              <dt>State</dt>
              <dd>{STATUS_LABELS[event.status]}</dd>
            </dl>
          ) : (
            <p>The event no longer exists.</p>
          )}
        </div>
        <div className={styles.box}>
          <h2>Payment</h2>
          {payment ? (
            <dl>
              <dt>Order</dt>
              <dd>
                {payment.quantity} × · {money(payment.amount, payment.currency)} · {payment.status}
              </dd>
              <dt>Provider</dt>
              <dd>{payment.provider}</dd>
              <dt>Payment</dt>
              <dd>
                <code>{payment.paymentIntentId ?? 'none'}</code>
              </dd>
              <dt>Paid</dt>
              <dd>{payment.issuedAt ? formatDateTime(payment.issuedAt) : 'Not issued'}</dd>
              {payment.outcome && (
                <>
                  <dt>Outcome</dt>
                  <dd>{payment.outcome}</dd>
                </>
              )}
              <dt>Refunds</dt>
              <dd>
                {payment.refunds.length === 0
                  ? 'None'
                  : payment.refunds.map((refund) => (
                      <div key={refund.refundId}>
                        {money(refund.amount, payment.currency)} · {refund.reason} ·{' '}
                        {formatDateTime(refund.at)}
                        {refund.ofThisTicket ? ' (this ticket)' : ''}
                      </div>
                    ))}
              </dd>
            </dl>
          ) : (
            <p>No payment: a free ticket, or issued without checkout.</p>
          )}
        </div>
        <div className={styles.box}>
          <h2>At the door</h2>
          {checkIn ? (
            <p>
              Checked in {formatDateTime(checkIn.scannedAt)} by {checkIn.scannedBy}
              {checkIn.gate ? ` at ${checkIn.gate}` : ''}
              {checkIn.manual ? ' (manual)' : ''}
            </p>
          ) : (
            <p>Never checked in.</p>
          )}
          {failedScans.length > 0 ? (
            <ul>
              {failedScans.map((scan) => (
                <li key={scan.id}>
                  Refused ({scan.reason}) {formatDateTime(scan.at)} by {scan.scannedBy}
                  {scan.gate ? ` at ${scan.gate}` : ''}
                </li>
              ))}
            </ul>
          ) : (
            <p className="meta">No refused scans of this ticket.</p>
          )}
        </div>
      </div>
      {detail.earlierDisputes.length > 0 && (
        <>
          <h2>Earlier disputes of this ticket</h2>
          <ul>
            {detail.earlierDisputes.map((earlier) => (
              <li key={earlier.id}>
                {formatDateTime(earlier.createdAt)}: {DISPUTE_REASON_LABELS[earlier.reason]} →{' '}
                {earlier.resolution ? DISPUTE_OUTCOME_LABELS[earlier.resolution.outcome] : 'open'}
              </li>
            ))}
          </ul>
        </>
      )}
      <h2>Decision</h2>
      {dispute.resolution ? (
        <p>
          <strong>{DISPUTE_OUTCOME_LABELS[dispute.resolution.outcome]}</strong>{' '}
          {formatDateTime(dispute.resolution.at)}
          {dispute.resolvedBy ? ` by ${dispute.resolvedBy}` : ''}: {dispute.resolution.note}
        </p>
      ) : (
        <ResolveDispute id={dispute.id} />
      )}
    </>
  );
}

const OUTCOMES: Array<{ value: DisputeOutcome; label: string; hint: string }> = [
  {
    value: 'refund',
    label: 'Refund',
    hint: 'Cancels the ticket if still valid and pays its price back.',
  },
  {
    value: 'reissue',
    label: 'Reissue',
    hint: 'A new code and QR for the holder; the old one is refused at the door.',
  },
  { value: 'reject', label: 'Reject', hint: 'Nothing changes but the dispute.' },
];

function ResolveDispute({ id }: { id: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [outcome, setOutcome] = useState<DisputeOutcome>('refund');
  const [note, setNote] = useState('');
  const resolve = useMutation(
    trpc.admin.resolveDispute.mutationOptions({
      onSettled: () =>
        Promise.all([
          queryClient.invalidateQueries(trpc.admin.dispute.queryFilter({ id })),
          queryClient.invalidateQueries(trpc.admin.disputes.infiniteQueryFilter()),
        ]),
    }),
  );
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    resolve.mutate({ id, outcome, note });
  };
  const problem = formError(resolve.error);
  return (
    <form className="form" onSubmit={onSubmit} aria-label="Resolve the dispute">
      <fieldset className="group">
        <legend>Outcome</legend>
        {OUTCOMES.map((option) => (
          <label key={option.value}>
            <input
              type="radio"
              name="outcome"
              value={option.value}
              checked={outcome === option.value}
              onChange={() => setOutcome(option.value)}
            />{' '}
            <strong>{option.label}</strong>: {option.hint}
          </label>
        ))}
      </fieldset>
      <TextAreaField
        name="note"
        label="Note to the ticket holder"
        rows={3}
        required
        value={note}
        onChange={(event) => setNote(event.target.value)}
        errors={fieldErrors(resolve.error, 'note')}
      />
      {problem && (
        <p role="alert" className="form-error">
          {problem}
        </p>
      )}
      <div className="form-actions">
        <button type="submit" disabled={resolve.isPending}>
          {resolve.isPending ? 'Resolving…' : 'Resolve'}
        </button>
      </div>
    </form>
  );
}
