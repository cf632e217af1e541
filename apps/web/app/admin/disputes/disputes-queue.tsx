'use client';

import { SelectField, useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { PagedTable } from '../../../src/components/paged-table.tsx';
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
        <SelectField
          name="status"
          label="Show"
          value={status}
          onChange={(event) => setStatus(event.target.value as typeof status)}
        >
          <option value="open">Open</option>
          <option value="resolved">Resolved</option>
          <option value="">All</option>
        </SelectField>
      </div>
      <PagedTable
        list={disputes}
        count={items.length}
        loading="Loading disputes…"
        empty="Nothing in this queue."
        columns={['Dispute', 'Holder', 'Event', 'State']}
        Problem={ApiProblem}
        wrapperClassName={styles.scroll}
      >
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
              {dispute.resolution ? DISPUTE_OUTCOME_LABELS[dispute.resolution.outcome] : 'Open'}
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
