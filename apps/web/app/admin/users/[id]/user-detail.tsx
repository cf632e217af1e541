'use client';

import { useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { formatDateTime } from '../../../../src/lib/format.ts';
import { ApiProblem } from '../../_components/api-problem.tsx';
import styles from '../../admin.module.css';
import { UserActions } from '../user-actions.tsx';

/** One account: who it is, what it did on Spot, and the latest admin actions about it. */
export function UserDetail({ id }: { id: string }) {
  const trpc = useTRPC();
  const user = useQuery(trpc.admin.user.queryOptions({ id }));

  return (
    <section aria-labelledby="admin-user">
      <p className="aside">
        <Link href="/admin/users">← Users</Link>
      </p>
      {user.isPending && <p>Loading…</p>}
      {user.isError && <ApiProblem error={user.error} />}
      {user.data && (
        <>
          <h1 id="admin-user">{user.data.name}</h1>
          <div className={styles.details}>
            <div className={styles.box}>
              <h2>Account</h2>
              <dl>
                <dt>Email</dt>
                <dd>{user.data.email}</dd>
                <dt>Role</dt>
                <dd>{user.data.role}</dd>
                <dt>Status</dt>
                <dd>
                  {user.data.status === 'suspended'
                    ? `Suspended${user.data.suspendedBy ? ` by ${user.data.suspendedBy}` : ''}: ${user.data.suspension?.reason ?? ''}`
                    : 'Active'}
                </dd>
                <dt>Joined</dt>
                <dd>{formatDateTime(user.data.createdAt)}</dd>
              </dl>
            </div>
            <div className={styles.box}>
              <h2>On Spot</h2>
              <dl>
                <dt>Events</dt>
                <dd>
                  <Link href={`/admin/events?organizerId=${user.data.id}`}>
                    {user.data.counts.events}
                  </Link>
                </dd>
                <dt>Tickets</dt>
                <dd>{user.data.counts.tickets}</dd>
                <dt>Reports filed</dt>
                <dd>{user.data.counts.reportsFiled}</dd>
                <dt>Disputes</dt>
                <dd>{user.data.counts.disputes}</dd>
              </dl>
            </div>
          </div>
          <h2>Actions</h2>
          <UserActions user={user.data} />
          <h2>Latest admin actions</h2>
          {user.data.history.length === 0 ? (
            <p className="empty">None yet.</p>
          ) : (
            <ul>
              {user.data.history.map((entry) => (
                <li key={entry.id}>
                  {formatDateTime(entry.at)}: <code>{entry.action}</code>
                  {entry.reason ? ` (${entry.reason})` : ''}
                </li>
              ))}
            </ul>
          )}
          <p className="aside">
            <Link href={`/admin/audit?targetId=${user.data.id}`}>Full audit trail</Link>
          </p>
        </>
      )}
    </section>
  );
}
