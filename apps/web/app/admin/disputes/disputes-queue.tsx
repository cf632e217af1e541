'use client';

import { useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { LoadMore } from '../../../src/components/load-more.tsx';
import {
  DISPUTE_OUTCOME_LABELS,
  DISPUTE_REASON_LABELS,
  formatDateTime,
} from '../../../src/lib/format.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import styles from '../admin.module.css';

/** Ticket holders' disputes, newest first; open ones wait for a decision. */
export function DisputesQueue() {
  const trpc = useTRPC();
  const [status, setStatus] = useState<'open' | 'resolved' | ''>('open');
  const disputes = useInfiniteQuery(
    trpc.admin.disputes.infiniteQueryOptions(
      { status: status || undefined, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = disputes.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="admin-disputes">
      <h1 id="admin-disputes">Disputes</h1>
      <div className={styles.filters}>
        <div className="field">
          <label htmlFor="disputes-status">Show</label>
          <select
            id="disputes-status"
            value={status}
            onChange={(event) => setStatus(event.target.value as typeof status)}
          >
            <option value="open">Open</option>
            <option value="resolved">Resolved</option>
            <option value="">All</option>
          </select>
        </div>
      </div>
      {disputes.isPending && <p>Loading disputes…</p>}
      {disputes.isError && <ApiProblem error={disputes.error} />}
      {disputes.isSuccess && items.length === 0 && <p className="empty">Nothing in this queue.</p>}
      {items.length > 0 && (
        <div className={styles.scroll}>
          <table className="events-table">
            <thead>
              <tr>
                <th scope="col">Dispute</th>
                <th scope="col">Holder</th>
                <th scope="col">Event</th>
                <th scope="col">State</th>
              </tr>
            </thead>
            <tbody>
              {items.map((dispute) => (
                <tr key={dispute.id}>
                  <td>
                    <Link href={`/admin/disputes/${dispute.id}`}>
                      {DISPUTE_REASON_LABELS[dispute.reason]}
                    </Link>
                    <div className="meta">{formatDateTime(dispute.createdAt)}</div>
                  </td>
                  <td>{dispute.holder?.name ?? 'Unknown'}</td>
                  <td>{dispute.eventTitle ?? 'Event deleted'}</td>
                  <td>
                    {dispute.resolution
                      ? DISPUTE_OUTCOME_LABELS[dispute.resolution.outcome]
                      : 'Open'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <LoadMore pages={disputes} />
    </section>
  );
}
