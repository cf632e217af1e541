import type { DomainPolicy } from './policy-fixtures.ts';

/** The admin procedures in the access-policy test (see access-policy.test.ts). */
export const ADMIN_POLICY: DomainPolicy = {
  samples: {},
  ownerScoped: [],
};
