import { type DomainPolicy, OWNED } from './policy-fixtures.ts';

const eventId = OWNED.event.toHexString();

/** The analytics procedures in the access-policy test (see access-policy.test.ts). */
export const ANALYTICS_POLICY: DomainPolicy = {
  samples: {
    'analytics.summary': {
      valid: { eventId },
      invalid: { eventId: 'x' },
      invalidFields: ['eventId'],
    },
    'analytics.timeSeries': {
      valid: { eventId, timezone: 'Europe/Paris', salesInterval: 'hour' },
      invalid: { eventId: 7, timezone: 'Mars/Olympus', salesInterval: 'week' },
      invalidFields: ['eventId', 'timezone', 'salesInterval'],
    },
    'analytics.funnel': {
      valid: { eventId },
      invalid: { eventId: null },
      invalidFields: ['eventId'],
    },
  },
  ownerScoped: ['analytics.summary', 'analytics.timeSeries', 'analytics.funnel'],
};
