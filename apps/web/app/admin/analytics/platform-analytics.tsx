'use client';

import { fieldErrors, useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { categoryLabel, formatMoney } from '../../../src/lib/format.ts';
import type { RouterOutputs } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import styles from '../admin.module.css';

type Numbers = RouterOutputs['admin']['platformAnalytics'];

const DAY = 24 * 60 * 60 * 1000;
const PRESETS = [7, 30, 90, 365];

/** A day as the date inputs write it, in UTC (the server and the browser agree on it). */
const isoDay = (date: Date) => date.toISOString().slice(0, 10);

/** The last `days` days, today included: [start of the first day, start of tomorrow). */
function lastDays(days: number): { from: string; to: string } {
  const tomorrow = new Date(`${isoDay(new Date())}T00:00:00Z`).getTime() + DAY;
  return { from: isoDay(new Date(tomorrow - days * DAY)), to: isoDay(new Date(tomorrow - DAY)) };
}

/** The platform's numbers over a period of whole days (UTC), the last day included. */
export function PlatformAnalytics() {
  const trpc = useTRPC();
  const [period, setPeriod] = useState(() => lastDays(30));
  const input = {
    from: `${period.from}T00:00:00Z`,
    to: new Date(new Date(`${period.to}T00:00:00Z`).getTime() + DAY).toISOString(),
  };
  const numbers = useQuery(trpc.admin.platformAnalytics.queryOptions(input));

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPeriod({ from: String(form.get('from')), to: String(form.get('to')) });
  };

  return (
    <section aria-labelledby="admin-analytics">
      <h1 id="admin-analytics">Platform analytics</h1>
      <form
        key={`${period.from}:${period.to}`}
        className={styles.filters}
        onSubmit={onSubmit}
        aria-label="Period"
      >
        <div className="field">
          <label htmlFor="period-from">From (UTC)</label>
          <input id="period-from" name="from" type="date" required defaultValue={period.from} />
        </div>
        <div className="field">
          <label htmlFor="period-to">To, included</label>
          <input id="period-to" name="to" type="date" required defaultValue={period.to} />
        </div>
        <button type="submit">Show</button>
        {PRESETS.map((days) => (
          <button
            key={days}
            type="button"
            className="secondary"
            onClick={() => setPeriod(lastDays(days))}
          >
            Last {days} days
          </button>
        ))}
      </form>
      {fieldErrors(numbers.error, 'to').map((message) => (
        <p key={message} role="alert" className="form-error">
          {message}
        </p>
      ))}
      {numbers.isError && !numbers.error.data?.zodError && <ApiProblem error={numbers.error} />}
      {numbers.isPending && <p>Counting…</p>}
      {numbers.data && <Report numbers={numbers.data} />}
    </section>
  );
}

function Report({ numbers }: { numbers: Numbers }) {
  const most = Math.max(1, ...numbers.topCategories.map((row) => row.ticketsSold));
  return (
    <>
      <h2>In this period</h2>
      <dl className="stat-tiles">
        <div>
          <dt>New sign-ups</dt>
          <dd>{numbers.newSignups}</dd>
        </div>
        <div>
          <dt>Events published</dt>
          <dd>{numbers.eventsPublished}</dd>
        </div>
        <div>
          <dt>Tickets sold</dt>
          <dd>{numbers.ticketsSold}</dd>
        </div>
        <div>
          <dt>Check-ins</dt>
          <dd>{numbers.checkIns}</dd>
        </div>
      </dl>
      <p className="meta">
        Events published: created in the period and published now. Tickets sold: issued in the
        period and not cancelled since.
      </p>
      <h2>Revenue</h2>
      {numbers.revenue.length === 0 ? (
        <p className="empty">No payments in this period.</p>
      ) : (
        <table className="events-table">
          <thead>
            <tr>
              <th scope="col">Currency</th>
              <th scope="col">Paid</th>
              <th scope="col">Refunded</th>
              <th scope="col">Net</th>
            </tr>
          </thead>
          <tbody>
            {numbers.revenue.map((row) => (
              <tr key={row.currency}>
                <td>{row.currency.toUpperCase()}</td>
                <td>{formatMoney(row.gross, row.currency)}</td>
                <td>{formatMoney(row.refunded, row.currency)}</td>
                <td>{formatMoney(row.net, row.currency)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>Top categories</h2>
      {numbers.topCategories.length === 0 ? (
        <p className="empty">No tickets sold in this period.</p>
      ) : (
        <ol className={styles.bars} aria-label="Top categories by tickets sold">
          {numbers.topCategories.map((row) => (
            <li key={row.category} className={styles.bar}>
              <span>{categoryLabel(row.category)}</span>
              <span className="bar-track" aria-hidden="true">
                <span
                  className="bar-fill"
                  style={{ width: `${(row.ticketsSold / most) * 100}%` }}
                />
              </span>
              <span>{row.ticketsSold}</span>
            </li>
          ))}
        </ol>
      )}
      <h2>Accounts now</h2>
      <dl className="stat-tiles">
        <div>
          <dt>Users</dt>
          <dd>{numbers.usersByRole.user}</dd>
        </div>
        <div>
          <dt>Organizers</dt>
          <dd>{numbers.usersByRole.organizer}</dd>
        </div>
        <div>
          <dt>Admins</dt>
          <dd>{numbers.usersByRole.admin}</dd>
        </div>
        <div>
          <dt>Suspended</dt>
          <dd>{numbers.suspendedUsers}</dd>
        </div>
      </dl>
    </>
  );
}
