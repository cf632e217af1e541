import { Seat } from '@spot/db';
import { Types } from 'mongoose';
import { describe, expect, it } from 'vitest';
import { claimOf, takeSeat } from '../src/tickets/seats.ts';
import { useApi } from './harness.ts';
import { storeSaleEvent } from './tickets-fixtures.ts';

useApi('spot_api_seats');

const heldUntil = (expiresAt: Date) => {
  const holdId = new Types.ObjectId();
  return { holdId, state: 'held' as const, expiresAt, claim: claimOf(holdId, 0) };
};

describe('taking a place', () => {
  it('sells a place whose expired hold the TTL sweep removed after this process saw it expire', async () => {
    const eventId = new Types.ObjectId(await storeSaleEvent({ capacity: 1 }));
    const first = heldUntil(new Date(Date.now() + 1500));
    await Seat.create({ eventId, slot: 1, ...first });

    // This process learns that the only place is held, until shortly.
    const early = heldUntil(new Date(Date.now() + 60_000));
    expect(await takeSeat({ eventId, capacity: 1, ...early }, early.claim)).toBeNull();

    // The hold expires and the sweep deletes its seat before anyone takes it over.
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await Seat.deleteOne({ eventId, slot: 1 });

    const late = heldUntil(new Date(Date.now() + 60_000));
    expect(await takeSeat({ eventId, capacity: 1, ...late }, late.claim)).toBe(1);
    expect(await Seat.findOne({ eventId, slot: 1 }).lean()).toMatchObject({ claim: late.claim });
  });
});
