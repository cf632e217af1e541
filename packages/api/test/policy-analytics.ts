import type { DomainPolicy } from './policy-fixtures.ts';

/** The analytics procedures in the access-policy test (see access-policy.test.ts). */
export const ANALYTICS_POLICY: DomainPolicy = {
  samples: {},
  ownerScoped: [],
};
