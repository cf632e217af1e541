'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';

/** Who is signed in, according to the server (`auth.me`). */
export function Header() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const me = useQuery(trpc.auth.me.queryOptions());
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries(trpc.auth.me.queryFilter()),
    }),
  );

  return (
    <header className="site-header">
      <Link href="/" className="brand">
        Spot
      </Link>
      <nav aria-label="Account" className="account">
        {me.isPending ? null : me.data ? (
          <>
            <Link href="/me/tickets">My tickets</Link>
            <Link href="/me/account">Account</Link>
            {(me.data.role === 'organizer' || me.data.role === 'admin') && (
              <Link href="/organizer/events">Organizer</Link>
            )}
            {me.data.role === 'admin' && <Link href="/admin">Admin</Link>}
            <span className="whoami">
              Signed in as <strong>{me.data.name}</strong>
            </span>
            <button
              type="button"
              className="link-button"
              onClick={() => logout.mutate()}
              disabled={logout.isPending}
            >
              Log out
            </button>
          </>
        ) : (
          <>
            <Link href="/login">Log in</Link>
            <Link href="/signup" className="button">
              Sign up
            </Link>
          </>
        )}
      </nav>
    </header>
  );
}
