'use client';

import { Field, useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { PagedTable } from '../../../src/components/paged-table.tsx';
import { formatDateTime } from '../../../src/lib/format.ts';
import type { InputObject, RouterInputs } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import styles from '../admin.module.css';

export type AuditFilters = Omit<InputObject<RouterInputs['admin']['auditLog']>, 'cursor' | 'limit'>;

const FIELDS: Array<{ name: keyof AuditFilters; label: string; placeholder: string }> = [
  { name: 'action', label: 'Action', placeholder: 'user. or event.remove' },
  { name: 'actorId', label: 'Actor id', placeholder: 'Who did it' },
  { name: 'targetKind', label: 'Target kind', placeholder: 'user, event, report, dispute' },
  { name: 'targetId', label: 'Target id', placeholder: 'What it was done to' },
];

/** Every admin action (and organizers' audited changes), newest first. */
export function AuditLog({ initial }: { initial: AuditFilters }) {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<AuditFilters>(initial);
  const log = useInfiniteQuery(
    trpc.admin.auditLog.infiniteQueryOptions(
      { ...filters, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = log.data?.pages.flatMap((page) => page.items) ?? [];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setFilters(
      Object.fromEntries(
        FIELDS.map(({ name }) => [name, String(form.get(name) ?? '') || undefined]),
      ),
    );
  };

  return (
    <section aria-labelledby="admin-audit">
      <h1 id="admin-audit">Audit log</h1>
      <form className={styles.filters} onSubmit={onSubmit} aria-label="Filter the audit log">
        {FIELDS.map((field) => (
          <Field
            key={field.name}
            name={field.name}
            label={field.label}
            defaultValue={initial[field.name]}
            placeholder={field.placeholder}
          />
        ))}
        <button type="submit">Filter</button>
      </form>
      <PagedTable
        list={log}
        count={items.length}
        loading="Loading…"
        empty="No entries."
        columns={['When', 'Who', 'Action', 'Target', 'Details']}
        Problem={ApiProblem}
        wrapperClassName={styles.scroll}
      >
        {items.map((entry) => (
          <tr key={entry.id}>
            <td>{formatDateTime(entry.at)}</td>
            <td>
              {entry.actor ? entry.actor.name : 'Unknown'}
              {entry.actor && <div className="meta">{entry.actor.email}</div>}
            </td>
            <td>
              <code>{entry.action}</code>
            </td>
            <td>
              {entry.target.kind} <code>{entry.target.id}</code>
            </td>
            <td>
              <pre className={styles.json}>{JSON.stringify(entry.details, null, 2)}</pre>
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
