'use client';

import { formError, useTRPC } from '@spot/ui';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { formatDateTime } from '../../../src/lib/format.ts';
import type { BillingStatus } from '../../../src/trpc/types.ts';
import { ApiProblem } from '../_components/api-problem.tsx';

const STATUS_LABELS: Record<BillingStatus['status'], string> = {
  active: 'Active',
  past_due: 'Payment past due',
  canceled: 'Cancelled',
  incomplete: 'Incomplete',
  none: 'No subscription',
};

/** The organizer's plan (`billing.status`) and the Pro upgrade (`billing.upgrade`). */
export function Billing() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const status = useQuery({ ...trpc.billing.status.queryOptions(), staleTime: 0 });
  // Back from Stripe Checkout: the subscription webhook switches the plan shortly.
  const [returned, setReturned] = useState(false);
  useEffect(() => {
    setReturned(new URLSearchParams(window.location.search).has('upgraded'));
  }, []);
  const upgrade = useMutation(
    trpc.billing.upgrade.mutationOptions({
      onSuccess: async (result) => {
        if (result.url) {
          window.location.assign(result.url);
          return;
        }
        await Promise.all([
          queryClient.invalidateQueries(trpc.billing.status.queryFilter()),
          queryClient.invalidateQueries(trpc.auth.me.queryFilter()),
        ]);
      },
    }),
  );

  const refreshStatus = (updated: BillingStatus) =>
    queryClient.setQueryData(trpc.billing.status.queryKey(), updated);
  const renewal = useMutation(
    trpc.billing.setRenewal.mutationOptions({ onSuccess: refreshStatus }),
  );
  const portal = useMutation(
    trpc.billing.portal.mutationOptions({
      onSuccess: (result) => {
        if (result.url) window.location.assign(result.url);
      },
    }),
  );

  let body: React.ReactNode;
  if (status.isPending) body = <p aria-live="polite">Loading your plan…</p>;
  else if (status.isError) body = <ApiProblem error={status.error} />;
  else {
    const billing = status.data;
    const problem = formError(upgrade.error ?? renewal.error ?? portal.error);
    body = (
      <div className="panel billing">
        <dl className="facts">
          <div>
            <dt>Plan</dt>
            <dd className="plan">{billing.plan === 'pro' ? 'Pro' : 'Free'}</dd>
          </div>
          <div>
            <dt>Status</dt>
            <dd>{STATUS_LABELS[billing.status]}</dd>
          </div>
          {billing.currentPeriodEnd && (
            <div>
              <dt>{billing.cancelAtPeriodEnd ? 'Ends on' : 'Renews on'}</dt>
              <dd>{formatDateTime(billing.currentPeriodEnd)}</dd>
            </div>
          )}
        </dl>
        {returned && !billing.isPremium && (
          <p className="notice" role="status">
            Thanks! Your upgrade is being confirmed; this page shows Pro once Stripe tells us.
          </p>
        )}
        {problem && (
          <p role="alert" className="form-error">
            {problem}
          </p>
        )}
        {billing.isPremium ? (
          <>
            {upgrade.isSuccess && (
              <p className="notice" role="status">
                You are on Spot Pro.
              </p>
            )}
            <div className="row">
              {billing.cancelAtPeriodEnd ? (
                <button
                  type="button"
                  onClick={() => renewal.mutate({ renew: true })}
                  disabled={renewal.isPending}
                >
                  Keep Pro (renew)
                </button>
              ) : (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => renewal.mutate({ renew: false })}
                  disabled={renewal.isPending}
                >
                  Cancel at the end of the period
                </button>
              )}
              {billing.provider === 'stripe' && (
                <button
                  type="button"
                  className="secondary"
                  onClick={() => portal.mutate()}
                  disabled={portal.isPending}
                >
                  Card and invoices
                </button>
              )}
            </div>
          </>
        ) : (
          <>
            <p>Pro adds the detailed analytics: funnel, time series and CSV export.</p>
            <button
              type="button"
              onClick={() => upgrade.mutate()}
              disabled={upgrade.isPending || (upgrade.isSuccess && Boolean(upgrade.data.url))}
            >
              {upgrade.isPending ? 'Upgrading…' : 'Upgrade to Pro'}
            </button>
            {billing.provider === 'simulated' && (
              <p className="aside">Test mode: the upgrade is simulated, nothing is charged.</p>
            )}
          </>
        )}
      </div>
    );
  }
  return (
    <section>
      <div className="page-heading">
        <h1>Billing</h1>
      </div>
      {body}
    </section>
  );
}
