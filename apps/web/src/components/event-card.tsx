import Link from 'next/link';
import { categoryLabel } from '../lib/format.ts';
import type { ExploreItem } from '../trpc/types.ts';
import { When } from './when.tsx';

export function EventCard({ event }: { event: ExploreItem }) {
  return (
    <li className="event-card">
      {event.coverImage ? (
        // Covers are organizers' own URLs on any host: a plain image, not Next's optimiser.
        // biome-ignore lint/performance/noImgElement: any host
        <img src={event.coverImage} alt="" className="event-card-cover" loading="lazy" />
      ) : (
        <div className="event-card-cover placeholder" aria-hidden="true" />
      )}
      <div className="event-card-body">
        <p className="eyebrow">{categoryLabel(event.category)}</p>
        <h3>
          <Link href={`/events/${event.id}`}>{event.title}</Link>
        </h3>
        <p className="meta">
          <When start={event.startDate} end={event.endDate} />
        </p>
        <p className="meta">
          {event.location.city}
          {event.distanceKm !== undefined && ` · ${event.distanceKm} km away`}
        </p>
      </div>
    </li>
  );
}
