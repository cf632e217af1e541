'use client';

import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { type ReactNode, useEffect } from 'react';
import type { CachedUser } from '../device/settings.ts';
import { AppHeader } from './app-header.tsx';
import { useSession } from './hooks.ts';

/**
 * A page for signed-in scanners: header, then the content for the user. Signed out (per the
 * server) goes to the log-in page; offline with nobody remembered says so.
 */
export function SignedInShell({
  children,
}: {
  children: (user: CachedUser, offline: boolean) => ReactNode;
}) {
  const session = useSession();
  const router = useRouter();
  const signedOut = session.status === 'signed_out' && !session.offline;
  useEffect(() => {
    if (signedOut) router.replace('/login');
  }, [signedOut, router]);

  return (
    <>
      <AppHeader session={session} />
      <main className="content">
        {session.status === 'signed_in' ? (
          children(session.user, session.offline)
        ) : session.status === 'signed_out' && session.offline ? (
          <section className="card">
            <h1>Offline</h1>
            <p>Nobody has logged in on this device yet, and logging in needs a connection.</p>
            <Link href="/login">Log in</Link>
          </section>
        ) : (
          <p className="muted" role="status">
            Loading…
          </p>
        )}
      </main>
    </>
  );
}
