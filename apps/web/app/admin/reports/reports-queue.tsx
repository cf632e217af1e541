'use client';

import { SelectField, useTRPC } from '@spot/ui';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useState } from 'react';
import { PagedTable } from '../../../src/components/paged-table.tsx';
import { formatDateTime, REPORT_REASON_LABELS, STATUS_LABELS } from '../../../src/lib/format.ts';
import type { RouterOutputs } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import { ReasonAction } from '../_components/reason-action.tsx';
import styles from '../admin.module.css';

type QueuedReport = RouterOutputs['admin']['reports']['items'][number];
type Status = QueuedReport['status'];

/** Users' reports of events, newest first; open ones wait for a decision. */
export function ReportsQueue({ eventId }: { eventId?: string }) {
  const trpc = useTRPC();
  const [status, setStatus] = useState<Status | ''>('open');
  const reports = useInfiniteQuery(
    trpc.admin.reports.infiniteQueryOptions(
      { status: status || undefined, eventId, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = reports.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <section aria-labelledby="admin-reports">
      <h1 id="admin-reports">Reports</h1>
      <div className={styles.filters}>
        <SelectField
          name="status"
          label="Show"
          value={status}
          onChange={(event) => setStatus(event.target.value as Status | '')}
        >
          <option value="open">Open</option>
          <option value="dismissed">Dismissed</option>
          <option value="actioned">Actioned</option>
          <option value="">All</option>
        </SelectField>
        {eventId && <Link href="/admin/reports">Reports of every event</Link>}
      </div>
      <PagedTable
        list={reports}
        count={items.length}
        loading="Loading reports…"
        empty="Nothing in this queue."
        columns={['Event', 'Report', 'By', '']}
        Problem={ApiProblem}
        wrapperClassName={styles.scroll}
      >
        {items.map((report) => (
          <tr key={report.id}>
            <td>
              {report.event ? (
                <>
                  <Link href={`/events/${report.event.id}`}>{report.event.title}</Link>
                  <div className="meta">{STATUS_LABELS[report.event.status]}</div>
                  <Link
                    href={`/admin/events?text=${encodeURIComponent(report.event.title)}`}
                    className="meta"
                  >
                    Moderate the event
                  </Link>
                </>
              ) : (
                'Event deleted'
              )}
            </td>
            <td>
              <strong>{REPORT_REASON_LABELS[report.reason]}</strong>
              {report.text && <p className={styles.note}>{report.text}</p>}
              <div className="meta">{formatDateTime(report.reportedAt)}</div>
            </td>
            <td>
              {report.reporter ? (
                <Link href={`/admin/users/${report.reporter.id}`}>{report.reporter.name}</Link>
              ) : (
                'Unknown'
              )}
            </td>
            <td>
              {report.status === 'open' ? (
                <ResolveReport report={report} />
              ) : (
                <>
                  <span className="badge">{report.status}</span>
                  {report.resolution?.note && (
                    <p className={styles.note}>{report.resolution.note}</p>
                  )}
                </>
              )}
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}

function ResolveReport({ report }: { report: QueuedReport }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const resolve = useMutation(
    trpc.admin.resolveReport.mutationOptions({
      onSettled: () => queryClient.invalidateQueries(trpc.admin.reports.infiniteQueryFilter()),
    }),
  );
  const subject = report.event?.title ?? 'this report';
  return (
    <div className={styles.actions}>
      <ReasonAction
        label="Dismiss"
        ariaLabel={`Dismiss the report on ${subject}`}
        prompt="Note (optional)"
        field="note"
        required={false}
        pending={resolve.isPending}
        error={resolve.error}
        onConfirm={(note, done) =>
          resolve.mutate({ id: report.id, status: 'dismissed', note }, { onSuccess: done })
        }
      />
      <ReasonAction
        label="Mark actioned"
        ariaLabel={`Mark the report on ${subject} actioned`}
        prompt="What was done? (optional)"
        field="note"
        required={false}
        pending={resolve.isPending}
        error={resolve.error}
        onConfirm={(note, done) =>
          resolve.mutate({ id: report.id, status: 'actioned', note }, { onSuccess: done })
        }
      />
    </div>
  );
}
