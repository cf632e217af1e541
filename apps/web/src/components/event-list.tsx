'use client';

import { useTRPC } from '@spot/ui';
import { useInfiniteQuery } from '@tanstack/react-query';
import type { ExploreInput, ExplorePage } from '../trpc/types.ts';
import { EventCard } from './event-card.tsx';
import { LoadMore } from './load-more.tsx';

interface Props {
  input: ExploreInput;
  /** Rendered by the server; later pages come from the typed client. */
  firstPage: ExplorePage;
  emptyText: string;
}

export function EventList({ input, firstPage, emptyText }: Props) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(
    trpc.explore.list.infiniteQueryOptions(input, {
      initialData: { pages: [firstPage], pageParams: [null] },
      getNextPageParam: (page) => page.nextCursor,
    }),
  );
  const events = list.data?.pages.flatMap((page) => page.items) ?? [];

  if (events.length === 0) {
    return <p className="empty">{emptyText}</p>;
  }
  return (
    <section aria-label="Events">
      <ul className="event-grid">
        {events.map((event) => (
          <EventCard key={event.id} event={event} />
        ))}
      </ul>
      {list.isFetchNextPageError && (
        <p role="alert" className="form-error">
          {list.error?.message ?? 'Could not load more events.'}
        </p>
      )}
      <LoadMore pages={list} />
    </section>
  );
}
