import {
  AnalyticsEvent,
  AuditLog,
  CheckIn,
  Event,
  FailedScan,
  Hold,
  Seat,
  Subscription,
  Ticket,
  User,
} from '@spot/db';
import type { AnyTRPCProcedure } from '@trpc/server';
import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Access, appRouter, createAccount, type Meta } from '../src/index.ts';
import { eventInput, storeEvents, userIdOf } from './events-fixtures.ts';
import { type Agent, failure, outcome, uniqueEmail, useApi } from './harness.ts';
import { ADMIN_POLICY } from './policy-admin.ts';
import { ANALYTICS_POLICY } from './policy-analytics.ts';
import { idOf, LOGIN, NOT_AN_ID, OWNED, type Samples, UNKNOWN_ID } from './policy-fixtures.ts';

const api = useApi('spot_api_policy');

type Caller = 'anonymous' | 'user' | 'organizer' | 'otherOrganizer' | 'admin';
// otherOrganizer calls before organizer, so it meets events the owner has not deleted yet.
const CALLERS: Caller[] = ['anonymous', 'user', 'otherOrganizer', 'organizer', 'admin'];

/** What each access level means for each kind of caller: refused with this code, or let through. */
const REFUSALS: Record<Access, Partial<Record<Caller, 'UNAUTHORIZED' | 'FORBIDDEN'>>> = {
  public: {},
  authed: { anonymous: 'UNAUTHORIZED' },
  organizer: { anonymous: 'UNAUTHORIZED', user: 'FORBIDDEN' },
  admin: {
    anonymous: 'UNAUTHORIZED',
    user: 'FORBIDDEN',
    organizer: 'FORBIDDEN',
    otherOrganizer: 'FORBIDDEN',
  },
};

const SESSION_CHANGING = new Set([
  'auth.register',
  'auth.login',
  'auth.logout',
  'auth.changePassword',
]);

/** Procedures on one organizer's event: any other organizer is answered NOT_FOUND. */
const OWNER_SCOPED = new Set([
  ...ANALYTICS_POLICY.ownerScoped,
  ...ADMIN_POLICY.ownerScoped,
  'events.update',
  'events.publish',
  'events.unpublish',
  'events.delete',
  'events.cancel',
  'events.get',
  'tickets.bookings',
  'checkin.searchAttendees',
  'checkin.undo',
  'checkin.failedScans',
  'checkin.staff',
  'checkin.addStaff',
  'checkin.removeStaff',
  'analytics.live',
  'analytics.rebuildCounters',
]);

/**
 * A valid and an invalid input for every procedure that takes one. A procedure missing here fails
 * the suite, so each new procedure comes with its policy and its bad-input case.
 */
const SAMPLES: Record<string, Samples> = {
  ...ANALYTICS_POLICY.samples,
  ...ADMIN_POLICY.samples,
  'auth.register': {
    valid: { email: uniqueEmail('matrix-new'), password: 'long enough password', name: 'New' },
    invalid: { email: 'not-an-email', password: 'short', name: '' },
    invalidFields: ['email', 'password', 'name'],
  },
  'auth.login': {
    valid: LOGIN,
    invalid: { email: 42, password: '' },
    invalidFields: ['email', 'password'],
  },
  'auth.changePassword': {
    valid: { currentPassword: 'not the current one', newPassword: 'another long password' },
    invalid: { currentPassword: '', newPassword: 'short' },
    invalidFields: ['currentPassword', 'newPassword'],
  },
  'auth.updatePreferences': {
    valid: { interests: ['music'], location: { lat: 45.76, lng: 4.83 } },
    invalid: { interests: ['karaoke'], location: { lat: 123, lng: 4 } },
    invalidFields: ['interests', 'location'],
  },
  'events.create': {
    valid: eventInput(),
    invalid: { title: 'x', category: 'karaoke', capacity: 0 },
    invalidFields: [
      'title',
      'description',
      'category',
      'location',
      'startDate',
      'endDate',
      'capacity',
    ],
  },
  'events.update': {
    valid: { ...idOf(OWNED.event), title: 'Renamed by its organizer' },
    invalid: { ...NOT_AN_ID, capacity: 0 },
    invalidFields: ['id', 'capacity'],
  },
  'events.publish': { valid: idOf(OWNED.toPublish), invalid: NOT_AN_ID, invalidFields: ['id'] },
  'events.unpublish': { valid: idOf(OWNED.toPublish), invalid: NOT_AN_ID, invalidFields: ['id'] },
  'events.delete': { valid: idOf(OWNED.toDelete), invalid: NOT_AN_ID, invalidFields: ['id'] },
  'events.cancel': { valid: idOf(OWNED.toCancel), invalid: NOT_AN_ID, invalidFields: ['id'] },
  'events.get': { valid: idOf(OWNED.event), invalid: NOT_AN_ID, invalidFields: ['id'] },
  'events.mine': {
    valid: { limit: 5 },
    invalid: { limit: 0, cursor: 5 },
    invalidFields: ['limit', 'cursor'],
  },
  'events.suggest': {
    valid: { title: 'Jazz night', description: 'Live jazz on Friday at 8pm.' },
    invalid: { title: 5 },
    invalidFields: ['title', 'description'],
  },
  'explore.list': {
    valid: { category: 'music', lat: 45.76, lng: 4.83, radiusKm: 25 },
    invalid: { category: 'karaoke', from: 'someday', radiusKm: 900 },
    invalidFields: ['category', 'from', 'radiusKm', 'lat', 'lng'],
  },
  'explore.get': { valid: idOf(OWNED.event), invalid: { id: 42 }, invalidFields: ['id'] },
  'explore.ticketOptions': {
    valid: idOf(OWNED.event),
    invalid: { id: 42 },
    invalidFields: ['id'],
  },
  'explore.forYou': { valid: { limit: 5 }, invalid: { limit: 'many' }, invalidFields: ['limit'] },
  // A draft event: every caller is refused past the policy (NOT_FOUND), so nothing is bought.
  'tickets.purchase': {
    valid: { eventId: OWNED.event.toHexString(), quantity: 1 },
    invalid: { eventId: 'nope', quantity: 11 },
    invalidFields: ['eventId', 'quantity'],
  },
  'tickets.holdStatus': {
    valid: { holdId: UNKNOWN_ID },
    invalid: { holdId: 7 },
    invalidFields: ['holdId'],
  },
  'tickets.abandon': { valid: { holdId: UNKNOWN_ID }, invalid: {}, invalidFields: ['holdId'] },
  'tickets.mine': { valid: { limit: 5 }, invalid: { limit: 51 }, invalidFields: ['limit'] },
  'tickets.get': { valid: { id: UNKNOWN_ID }, invalid: { id: 'x' }, invalidFields: ['id'] },
  'tickets.cancel': { valid: { id: UNKNOWN_ID }, invalid: { id: 'x' }, invalidFields: ['id'] },
  'tickets.bookings': {
    valid: { eventId: OWNED.event.toHexString(), limit: 5 },
    invalid: { eventId: 'x', limit: 0 },
    invalidFields: ['eventId', 'limit'],
  },
  // The event starts in a week: its door team is told check-in is not open yet; others not_allowed.
  'checkin.scan': {
    valid: { eventId: OWNED.event.toHexString(), payload: 'a.b.c', nonce: 'matrix-scan-1' },
    invalid: { eventId: 'x', payload: '', nonce: 'no' },
    invalidFields: ['eventId', 'payload', 'nonce'],
  },
  'checkin.manualCheckIn': {
    valid: { eventId: OWNED.event.toHexString(), ticketId: UNKNOWN_ID, nonce: 'matrix-manual-1' },
    invalid: { eventId: 1, ticketId: 'x', nonce: 'not a nonce!' },
    invalidFields: ['eventId', 'ticketId', 'nonce'],
  },
  'checkin.searchAttendees': {
    valid: { eventId: OWNED.event.toHexString(), query: 'ann' },
    invalid: { eventId: 'x', query: 'a' },
    invalidFields: ['eventId', 'query'],
  },
  'checkin.undo': {
    valid: { eventId: OWNED.event.toHexString(), ticketId: UNKNOWN_ID },
    invalid: { eventId: 'x', ticketId: 'y', reason: 'z'.repeat(301) },
    invalidFields: ['eventId', 'ticketId', 'reason'],
  },
  'checkin.failedScans': {
    valid: { eventId: OWNED.event.toHexString(), limit: 5 },
    invalid: { eventId: 'x', limit: 0 },
    invalidFields: ['eventId', 'limit'],
  },
  'checkin.staff': {
    valid: { eventId: OWNED.event.toHexString() },
    invalid: { eventId: 3 },
    invalidFields: ['eventId'],
  },
  'checkin.addStaff': {
    valid: { eventId: OWNED.event.toHexString(), email: LOGIN.email },
    invalid: { eventId: 'x', email: 'nope' },
    invalidFields: ['eventId', 'email'],
  },
  'checkin.removeStaff': {
    valid: { eventId: OWNED.event.toHexString(), userId: UNKNOWN_ID },
    invalid: { eventId: 'x', userId: 'y' },
    invalidFields: ['eventId', 'userId'],
  },
  'analytics.live': {
    valid: { eventId: OWNED.event.toHexString() },
    invalid: {},
    invalidFields: ['eventId'],
  },
  'analytics.rebuildCounters': {
    valid: { eventId: OWNED.event.toHexString() },
    invalid: { eventId: null },
    invalidFields: ['eventId'],
  },
  'billing.setRenewal': {
    valid: { renew: true },
    invalid: { renew: 'yes' },
    invalidFields: ['renew'],
  },
  'payments.simulatePay': {
    valid: { holdId: UNKNOWN_ID },
    invalid: { holdId: 'x' },
    invalidFields: ['holdId'],
  },
};

interface ProcedureInfo {
  path: string;
  type: 'query' | 'mutation' | 'subscription';
  access: Access | undefined;
  takesInput: boolean;
}

const ACCESS_LEVELS: Access[] = ['public', 'authed', 'organizer', 'admin'];

function isProcedure(value: unknown): value is AnyTRPCProcedure {
  return typeof value === 'function' && '_def' in value;
}

/** `_def.procedures` holds every procedure under its dotted path at runtime. */
const procedures: ProcedureInfo[] = Object.entries(appRouter._def.procedures).flatMap(
  ([path, procedure]) => {
    if (!isProcedure(procedure)) return [];
    const definition = procedure._def;
    const declared = (definition.meta as Partial<Meta> | undefined)?.access;
    const access = ACCESS_LEVELS.find((level) => level === declared);
    return [{ path, type: definition.type, access, takesInput: definition.inputs.length > 0 }];
  },
);

const agents = {} as Record<Caller, Agent>;

beforeAll(async () => {
  await createAccount({ ...LOGIN, name: 'Matrix', role: 'user' });
  agents.anonymous = api.agent();
  agents.user = await api.signedIn('user');
  agents.organizer = await api.signedIn('organizer');
  agents.otherOrganizer = await api.signedIn('organizer');
  agents.admin = await api.signedIn('admin');
  const organizerId = new Types.ObjectId(await userIdOf(agents.organizer));
  // Both organizers are on Pro, so Pro-only procedures are judged by their access level here
  // (free organizers' FORBIDDEN is the analytics tests' business).
  const otherOrganizerId = new Types.ObjectId(await userIdOf(agents.otherOrganizer));
  await User.updateMany(
    { _id: { $in: [organizerId, otherOrganizerId] } },
    { $set: { isPremium: true } },
  );
  await storeEvents(
    Object.values(OWNED).map((_id) => ({
      startDate: new Date(Date.now() + 7 * 24 * 60 * 60 * 1000),
      isPublished: false,
      organizerId,
      extra: { _id },
    })),
  );
});

function call(agent: Agent, procedure: ProcedureInfo, input: unknown): Promise<unknown> {
  return procedure.type === 'query'
    ? agent.query(procedure.path, input)
    : agent.mutate(procedure.path, input);
}

describe('every procedure declares who may call it', () => {
  it('the router has procedures, each with an access level and (if it takes input) samples', () => {
    expect(procedures.length).toBeGreaterThan(0);
    for (const procedure of procedures) {
      expect(procedure.access, `${procedure.path} has no access level in its meta`).toBeDefined();
      if (procedure.takesInput)
        expect(SAMPLES[procedure.path], `${procedure.path} has no input samples`).toBeDefined();
    }
  });

  for (const procedure of procedures) {
    it(`${procedure.path} (${procedure.access}) refuses exactly the callers its policy excludes`, async () => {
      const refusals = REFUSALS[procedure.access as Access];
      for (const caller of CALLERS) {
        // Procedures that replace or end the session get a fresh agent, so shared ones stay intact.
        const agent = SESSION_CHANGING.has(procedure.path)
          ? await signedInLike(caller)
          : agents[caller];
        const result = await outcome(call(agent, procedure, SAMPLES[procedure.path]?.valid));
        const expected =
          refusals[caller] ??
          (caller === 'otherOrganizer' && OWNER_SCOPED.has(procedure.path)
            ? 'NOT_FOUND'
            : undefined);
        if (expected) expect(result, `${caller} calling ${procedure.path}`).toBe(expected);
        else
          expect(
            ['UNAUTHORIZED', 'FORBIDDEN'],
            `${caller} calling ${procedure.path}`,
          ).not.toContain(result);
      }
    });
  }
});

async function signedInLike(caller: Caller): Promise<Agent> {
  if (caller === 'anonymous') return api.agent();
  return api.signedIn(caller === 'otherOrganizer' ? 'organizer' : caller);
}

const COLLECTIONS = [
  User,
  Event,
  Ticket,
  Hold,
  Seat,
  CheckIn,
  FailedScan,
  Subscription,
  AnalyticsEvent,
  AuditLog,
];
const counts = () => Promise.all(COLLECTIONS.map((model) => model.countDocuments()));

describe('bad input', () => {
  for (const procedure of procedures.filter((candidate) => candidate.takesInput)) {
    it(`${procedure.path} answers BAD_REQUEST naming each bad field, and writes nothing`, async () => {
      const sample = SAMPLES[procedure.path];
      if (!sample) throw new Error(`${procedure.path} has no input samples`);
      const before = await counts();
      const error = await failure(call(agents.admin, procedure, sample.invalid));
      expect(error.data?.code).toBe('BAD_REQUEST');
      const fieldErrors = error.data?.zodError?.fieldErrors;
      expect(Object.keys(fieldErrors ?? {}).sort()).toEqual([...sample.invalidFields].sort());
      expect(error.message).not.toMatch(/at .+\.ts:\d+/);
      expect(await counts()).toEqual(before);
    });
  }
});
