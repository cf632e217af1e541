import type { Metadata } from 'next';
import Link from 'next/link';
import { EventForm } from '../../_components/event-form.tsx';

export const metadata: Metadata = { title: 'New event · Spot' };

export default function NewEventPage() {
  return (
    <section className="panel" aria-labelledby="new-event">
      <p className="aside">
        <Link href="/organizer/events">← My events</Link>
      </p>
      <h1 id="new-event">New event</h1>
      <p className="aside">It is saved as a draft: nobody sees it until you publish it.</p>
      <EventForm />
    </section>
  );
}
