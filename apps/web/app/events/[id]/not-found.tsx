import Link from 'next/link';

export default function EventNotFound() {
  return (
    <section className="card">
      <h1>Event not found</h1>
      <p>This event does not exist, or it is not public.</p>
      <p className="aside">
        <Link href="/">Explore other events</Link>
      </p>
    </section>
  );
}
