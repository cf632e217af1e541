'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { RouterOutputs } from '../../../src/trpc/types.ts';
import { ReasonAction } from '../_components/reason-action.tsx';
import styles from '../admin.module.css';

export type AdminUser = RouterOutputs['admin']['users']['items'][number];

/**
 * What an admin can do to an account: switch it between user and organizer, suspend it (its
 * sessions end at once, its published events are hidden pending review) or lift a suspension.
 * Admin accounts are managed with the command line; the server refuses them here.
 */
export function UserActions({ user }: { user: AdminUser }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const onSettled = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.admin.users.infiniteQueryFilter()),
      queryClient.invalidateQueries(trpc.admin.user.queryFilter({ id: user.id })),
    ]);
  const setRole = useMutation(trpc.admin.setRole.mutationOptions({ onSettled }));
  const suspend = useMutation(trpc.admin.suspend.mutationOptions({ onSettled }));
  const unsuspend = useMutation(trpc.admin.unsuspend.mutationOptions({ onSettled }));

  if (user.role === 'admin') return <span className="meta">Managed by the CLI</span>;
  const otherRole = user.role === 'organizer' ? 'user' : 'organizer';
  const roleProblem = formError(setRole.error);
  return (
    <div className={styles.actions}>
      <button
        type="button"
        className="secondary"
        disabled={setRole.isPending}
        onClick={() => setRole.mutate({ id: user.id, role: otherRole })}
        aria-label={`Make ${user.name} ${otherRole === 'user' ? 'a user' : 'an organizer'}`}
      >
        {otherRole === 'user' ? 'Make user' : 'Make organizer'}
      </button>
      {user.status === 'active' ? (
        <ReasonAction
          label="Suspend"
          ariaLabel={`Suspend ${user.name}`}
          prompt="Why suspend this account? (kept in the audit log)"
          pending={suspend.isPending}
          error={suspend.error}
          onConfirm={(reason, done) => suspend.mutate({ id: user.id, reason }, { onSuccess: done })}
        />
      ) : (
        <ReasonAction
          label="Unsuspend"
          ariaLabel={`Unsuspend ${user.name}`}
          prompt="Why lift the suspension?"
          pending={unsuspend.isPending}
          error={unsuspend.error}
          onConfirm={(reason, done) =>
            unsuspend.mutate({ id: user.id, reason }, { onSuccess: done })
          }
        />
      )}
      {roleProblem && (
        <p role="alert" className="form-error">
          {roleProblem}
        </p>
      )}
    </div>
  );
}
