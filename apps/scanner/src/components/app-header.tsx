'use client';

import { useTRPC } from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useRouter } from 'next/navigation';
import { clearSession } from '../device/settings.ts';
import { type Session, useOnline } from './hooks.ts';
import { useQueueCounts } from './services.tsx';

/** The scanner's top bar: connection, the pending queue's badge, who is signed in. */
export function AppHeader({ session }: { session: Session }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const online = useOnline();
  const counts = useQueueCounts();
  const logout = useMutation(
    trpc.auth.logout.mutationOptions({
      onSuccess: async () => {
        clearSession();
        queryClient.setQueryData(trpc.auth.me.queryKey(), null);
        router.replace('/login');
      },
    }),
  );

  return (
    <header className="app-header">
      <Link href="/" className="brand">
        Spot <span className="brand-sub">Scanner</span>
      </Link>
      <div className="header-tools">
        <span
          className={`net ${online ? 'net-online' : 'net-offline'}`}
          data-testid="connection"
          data-online={online}
        >
          {online ? 'Online' : 'Offline'}
        </span>
        <Link
          href="/pending"
          className="pending-link"
          data-testid="pending-link"
          aria-label={`Pending scans: ${counts.pending} waiting, ${counts.attention} need attention`}
        >
          Queue
          {counts.pending > 0 && (
            <span className="badge badge-pending" data-testid="pending-count">
              {counts.pending}
            </span>
          )}
          {counts.attention > 0 && (
            <span className="badge badge-attention" data-testid="conflict-count">
              {counts.attention}
            </span>
          )}
        </Link>
        {session.status === 'signed_in' && (
          <button
            type="button"
            className="link-button"
            onClick={() => logout.mutate()}
            disabled={logout.isPending || !online}
            title={`Signed in as ${session.user.name}`}
          >
            Log out
          </button>
        )}
      </div>
    </header>
  );
}
