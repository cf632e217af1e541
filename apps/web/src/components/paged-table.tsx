'use client';

import type { ApiError } from '@spot/ui';
import type { ComponentType, ReactNode } from 'react';
import { LoadMore } from './load-more.tsx';

interface PagedList {
  isPending: boolean;
  isSuccess: boolean;
  error: ApiError | null;
  hasNextPage: boolean;
  isFetchingNextPage: boolean;
  fetchNextPage(): unknown;
}

interface PagedTableProps {
  list: PagedList;
  /** Rows loaded so far. */
  count: number;
  loading: string;
  empty: string;
  /** Column headings; an empty one is the actions column (named for screen readers only). */
  columns: string[];
  /** How this part of the site shows the server's refusal. */
  Problem: ComponentType<{ error: ApiError }>;
  /** For a table wider than the page. */
  wrapperClassName?: string;
  /** The rows shown are being replaced (a new search): announced to assistive technology. */
  busy?: boolean;
  /** The rows (`<tr>` elements). */
  children: ReactNode;
}

/** A cursor-paged list as a table: loading, the server's refusal, nothing found, rows, more. */
export function PagedTable({ list, count, columns, Problem, ...props }: PagedTableProps) {
  return (
    <>
      {list.isPending && <p>{props.loading}</p>}
      {list.error && <Problem error={list.error} />}
      {list.isSuccess && count === 0 && <p className="empty">{props.empty}</p>}
      {count > 0 && (
        <div className={props.wrapperClassName}>
          <table className="events-table" aria-busy={props.busy || undefined}>
            <thead>
              <tr>
                {columns.map((column) => (
                  <th scope="col" key={column || 'actions'}>
                    {column || <span className="visually-hidden">Actions</span>}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>{props.children}</tbody>
          </table>
        </div>
      )}
      <LoadMore pages={list} />
    </>
  );
}
