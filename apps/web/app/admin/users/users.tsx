'use client';

import { Field, SelectField, useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { type FormEvent, useState } from 'react';
import { PagedTable } from '../../../src/components/paged-table.tsx';
import { formatDateTime } from '../../../src/lib/format.ts';
import type { InputObject, RouterInputs } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';
import styles from '../admin.module.css';
import { UserActions } from './user-actions.tsx';

type Filters = InputObject<RouterInputs['admin']['users']>;

export function Users() {
  const trpc = useTRPC();
  const [filters, setFilters] = useState<Filters>({});
  const users = useInfiniteQuery(
    trpc.admin.users.infiniteQueryOptions(
      { ...filters, limit: 25 },
      { getNextPageParam: (page) => page.nextCursor },
    ),
  );
  const items = users.data?.pages.flatMap((page) => page.items) ?? [];

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const value = (name: string) => String(form.get(name) ?? '') || undefined;
    setFilters({
      query: value('query'),
      role: value('role') as Filters['role'],
      status: value('status') as Filters['status'],
    });
  };

  return (
    <section aria-labelledby="admin-users">
      <h1 id="admin-users">Users</h1>
      <form className={styles.filters} onSubmit={onSubmit} aria-label="Find users">
        <Field name="query" label="Search users" type="search" placeholder="Name or email" />
        <SelectField name="role" label="Role" defaultValue="">
          <option value="">Any role</option>
          <option value="user">User</option>
          <option value="organizer">Organizer</option>
          <option value="admin">Admin</option>
        </SelectField>
        <SelectField name="status" label="Status" defaultValue="">
          <option value="">Any status</option>
          <option value="active">Active</option>
          <option value="suspended">Suspended</option>
        </SelectField>
        <button type="submit">Search</button>
      </form>
      <PagedTable
        list={users}
        count={items.length}
        loading="Loading users…"
        empty="No account matches."
        columns={['Account', 'Role', 'Status', 'Joined', '']}
        Problem={ApiProblem}
        wrapperClassName={styles.scroll}
      >
        {items.map((user) => (
          <tr key={user.id}>
            <td>
              <Link href={`/admin/users/${user.id}`}>{user.name}</Link>
              <div className="meta">{user.email}</div>
            </td>
            <td>{user.role}</td>
            <td>
              <span className={`badge ${user.status === 'suspended' ? 'status-removed' : ''}`}>
                {user.status === 'suspended' ? 'Suspended' : 'Active'}
              </span>
              {user.suspension?.reason && <p className={styles.note}>{user.suspension.reason}</p>}
            </td>
            <td>{formatDateTime(user.createdAt)}</td>
            <td>
              <UserActions user={user} />
            </td>
          </tr>
        ))}
      </PagedTable>
    </section>
  );
}
