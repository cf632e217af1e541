'use client';

import { useTRPC } from '@spot/ui';
import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EventCard } from '../../src/components/event-card.tsx';

const SHOWN = 3;

/** For a signed-in visitor: upcoming events in their interests, nearest first where known. */
export function ForYou() {
  const trpc = useTRPC();
  const me = useQuery(trpc.auth.me.queryOptions());
  const forYou = useQuery(
    trpc.explore.forYou.queryOptions({ limit: SHOWN }, { enabled: Boolean(me.data) }),
  );
  const events = forYou.data?.items ?? [];
  if (!me.data || events.length === 0) return null;
  return (
    <section aria-labelledby="for-you" className="for-you">
      <h2 id="for-you">For you</h2>
      <ul className="event-grid">
        {events.map((event) => (
          <EventCard key={event.id} event={event} />
        ))}
      </ul>
      <p className="aside">
        <Link href="/me/account">Choose your interests</Link>
      </p>
    </section>
  );
}
