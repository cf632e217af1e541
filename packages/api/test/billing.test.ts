import { User } from '@spot/db';
import { describe, expect, it } from 'vitest';
import { userIdOf } from './events-fixtures.ts';
import { outcome, useApi } from './harness.ts';

// No Stripe keys here: the simulated provider (development) takes the upgrade.
const api = useApi('spot_api_billing');

describe('the Pro plan with simulated payments', () => {
  it('upgrades at once, turns renewal off and on, and has no hosted portal', async () => {
    const organizer = await api.signedIn('organizer');
    const status = () => organizer.query('billing.status') as Promise<Record<string, unknown>>;
    expect(await status()).toMatchObject({ plan: 'free', isPremium: false, provider: 'simulated' });

    expect(await organizer.mutate('billing.upgrade')).toEqual({ url: null, activated: true });
    expect((await User.findById(await userIdOf(organizer)).lean())?.isPremium).toBe(true);
    const pro = await status();
    expect(pro).toMatchObject({ plan: 'pro', status: 'active', cancelAtPeriodEnd: false });
    expect((pro.currentPeriodEnd as Date).getTime()).toBeGreaterThan(Date.now());
    expect(await outcome(organizer.mutate('billing.upgrade'))).toBe('PRECONDITION_FAILED');

    expect(await organizer.mutate('billing.setRenewal', { renew: false })).toMatchObject({
      plan: 'pro',
      isPremium: true,
      cancelAtPeriodEnd: true,
    });
    expect(await organizer.mutate('billing.setRenewal', { renew: true })).toMatchObject({
      cancelAtPeriodEnd: false,
    });
    expect(await organizer.mutate('billing.portal')).toEqual({ url: null });
  });
});
