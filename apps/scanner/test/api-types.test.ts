/**
 * Type-level: what the scanner keeps on the device (its cached event list, the public key) still
 * has the fields the API answers with. Checked by `pnpm typecheck` and `next build`.
 */
import type { AppRouter } from '@spot/api';
import type { inferRouterOutputs } from '@trpc/server';
import type { JWK } from 'jose';
import { describe, expectTypeOf, it } from 'vitest';
import type { CachedEvent } from '../src/device/settings.ts';

type Outputs = inferRouterOutputs<AppRouter>;

describe('what the scanner stores matches the API', () => {
  it('scannable events and the public key have the fields the scanner keeps', () => {
    type Event = Outputs['checkin']['scannableEvents'][number];
    expectTypeOf<Event['role']>().toEqualTypeOf<CachedEvent['role']>();
    expectTypeOf<Event['checkInOpensAt']>().toEqualTypeOf<Date>();
    expectTypeOf<Outputs['tickets']['qrPublicKey']>().toExtend<JWK>();
  });
});
