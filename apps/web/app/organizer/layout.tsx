import Link from 'next/link';
import type { ReactNode } from 'react';
import { serverApi, trpcCode } from '../../src/trpc/server.ts';

// Who may enter depends on the session cookie.
export const dynamic = 'force-dynamic';

/**
 * The organizer area. The server decides who may enter: the page asks for the caller's events
 * and shows the refusal it gets (signed out, or not an organizer) instead of the area.
 */
export default async function OrganizerLayout({ children }: { children: ReactNode }) {
  try {
    await (await serverApi()).events.mine({ limit: 1 });
  } catch (error) {
    const code = trpcCode(error);
    if (code === 'UNAUTHORIZED') {
      return (
        <section className="card" role="alert">
          <h1>Organizers only</h1>
          <p>Please log in with an organizer account to manage events.</p>
          <p className="aside">
            <Link href="/login">Log in</Link>
          </p>
        </section>
      );
    }
    if (code === 'FORBIDDEN') {
      return (
        <section className="card" role="alert">
          <h1>Organizers only</h1>
          <p>This area is for event organizers. Your account cannot create or manage events.</p>
          <p className="aside">
            <Link href="/">Explore events</Link>
          </p>
        </section>
      );
    }
    throw error;
  }
  return children;
}
