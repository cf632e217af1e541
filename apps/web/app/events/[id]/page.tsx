import { getConfig } from '@spot/config';
import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { cache } from 'react';
import { When } from '../../../src/components/when.tsx';
import { categoryLabel, excerpt, mapUrl, STATUS_LABELS } from '../../../src/lib/format.ts';
import { serverApi, trpcCode } from '../../../src/trpc/server.ts';
import type { EventPage } from '../../../src/trpc/types.ts';
import { ReportEvent } from './report-event.tsx';
import { TicketOptions } from './ticket-options.tsx';

interface Props {
  params: Promise<{ id: string }>;
}

/**
 * The event, once per request (the page and its metadata share it, so one view is logged).
 * Unknown, hidden and malformed ids are all a 404.
 */
const loadEvent = cache(async (id: string): Promise<EventPage> => {
  try {
    return await (await serverApi()).explore.get({ id });
  } catch (error) {
    const code = trpcCode(error);
    if (code === 'NOT_FOUND' || code === 'BAD_REQUEST') notFound();
    throw error;
  }
});

function canonicalUrl(id: string): string {
  return `${getConfig().WEB_URL.replace(/\/$/, '')}/events/${id}`;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const { id } = await params;
  const event = await loadEvent(id);
  const description = excerpt(event.description);
  const url = canonicalUrl(event.id);
  return {
    title: `${event.title} · Spot`,
    description,
    alternates: { canonical: url },
    // Drafts and cancelled events are only seen by their organizer (or are gone): not for search.
    robots: event.status === 'published' ? undefined : { index: false },
    openGraph: {
      type: 'website',
      siteName: 'Spot',
      title: event.title,
      description,
      url,
      images: event.coverImage ? [{ url: event.coverImage }] : undefined,
    },
    twitter: {
      card: event.coverImage ? 'summary_large_image' : 'summary',
      title: event.title,
      description,
      images: event.coverImage ? [event.coverImage] : undefined,
    },
  };
}

const EVENT_STATUS: Record<EventPage['status'], string> = {
  draft: 'https://schema.org/EventScheduled',
  published: 'https://schema.org/EventScheduled',
  ended: 'https://schema.org/EventScheduled',
  cancelled: 'https://schema.org/EventCancelled',
  removed: 'https://schema.org/EventCancelled',
};

/**
 * schema.org Event for search engines. Seats left are only counted when a visitor asks for
 * tickets (that request is the "click"), so availability follows the event's state.
 */
function structuredData(event: EventPage, url: string) {
  return {
    '@context': 'https://schema.org',
    '@type': 'Event',
    name: event.title,
    description: excerpt(event.description, 500),
    url,
    startDate: event.startDate.toISOString(),
    endDate: event.endDate.toISOString(),
    eventStatus: EVENT_STATUS[event.status],
    eventAttendanceMode: 'https://schema.org/OfflineEventAttendanceMode',
    ...(event.coverImage && { image: [event.coverImage] }),
    location: {
      '@type': 'Place',
      name: event.location.city,
      address: { '@type': 'PostalAddress', addressLocality: event.location.city },
      geo: {
        '@type': 'GeoCoordinates',
        latitude: event.location.lat,
        longitude: event.location.lng,
      },
    },
    organizer: { '@type': 'Person', name: event.organizer.name },
    offers: {
      '@type': 'Offer',
      url,
      availability:
        event.status === 'published'
          ? 'https://schema.org/PreOrder'
          : 'https://schema.org/Discontinued',
    },
  };
}

/**
 * Why a moderator removed the event. Only its organizer and admins can open a removed event's
 * page, and only they may read the reason (events.get); anyone else gets null.
 */
async function removalReason(id: string): Promise<string | null> {
  try {
    return (await (await serverApi()).events.get({ id })).removed?.reason ?? null;
  } catch (error) {
    if (trpcCode(error)) return null;
    throw error;
  }
}

/** JSON inside a <script>: `<` escaped so no text can close the tag. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

export default async function EventPageView({ params }: Props) {
  const { id } = await params;
  const event = await loadEvent(id);
  const url = canonicalUrl(event.id);
  const removedBecause = event.status === 'removed' ? await removalReason(event.id) : null;
  return (
    <article className="event">
      <script
        type="application/ld+json"
        // biome-ignore lint/security/noDangerouslySetInnerHtml: escaped JSON-LD
        dangerouslySetInnerHTML={{ __html: scriptJson(structuredData(event, url)) }}
      />
      {event.coverImage && (
        // biome-ignore lint/performance/noImgElement: organizers' images live on any host
        <img src={event.coverImage} alt="" className="event-cover" />
      )}
      <p className="eyebrow">
        {categoryLabel(event.category)}
        {event.status !== 'published' && (
          <span className={`badge status-${event.status}`}>{STATUS_LABELS[event.status]}</span>
        )}
      </p>
      <h1>{event.title}</h1>
      {event.status === 'removed' && (
        <p role="alert" className="form-error">
          A moderator removed this event{removedBecause ? `: ${removedBecause}` : '.'} Its tickets
          were cancelled and refunded.
        </p>
      )}
      <dl className="facts">
        <div>
          <dt>When</dt>
          <dd>
            <When start={event.startDate} end={event.endDate} />
          </dd>
        </div>
        <div>
          <dt>Where</dt>
          <dd>
            {event.location.city} ·{' '}
            <a href={mapUrl(event.location.lat, event.location.lng)} rel="noopener noreferrer">
              View on map
            </a>
          </dd>
        </div>
        <div>
          <dt>Organizer</dt>
          <dd>{event.organizer.name}</dd>
        </div>
      </dl>
      <section aria-labelledby="tickets-heading" className="tickets">
        <h2 id="tickets-heading">Get tickets</h2>
        <TicketOptions eventId={event.id} />
      </section>
      <section aria-labelledby="about-heading">
        <h2 id="about-heading">About this event</h2>
        <p className="description">{event.description}</p>
        {event.tags.length > 0 && (
          <ul className="tags" aria-label="Tags">
            {event.tags.map((tag) => (
              <li key={tag}>{tag}</li>
            ))}
          </ul>
        )}
      </section>
      {event.status === 'published' && (
        <aside aria-label="Report" className="aside">
          <ReportEvent eventId={event.id} />
        </aside>
      )}
    </article>
  );
}
