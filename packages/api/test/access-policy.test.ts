import { AnalyticsEvent, AuditLog, CheckIn, Event, Subscription, Ticket, User } from '@spot/db';
import type { AnyTRPCProcedure } from '@trpc/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Access, appRouter, createAccount, type Meta } from '../src/index.ts';
import { type Agent, failure, outcome, uniqueEmail, useApi } from './harness.ts';

const api = useApi('spot_api_policy');

type Caller = 'anonymous' | 'user' | 'organizer' | 'otherOrganizer' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'user', 'organizer', 'otherOrganizer', 'admin'];

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
const LOGIN = { email: uniqueEmail('matrix-login'), password: 'the right password' };

/**
 * A valid and an invalid input for every procedure that takes one. A procedure missing here fails
 * the suite, so each new procedure comes with its policy and its bad-input case.
 */
const SAMPLES: Record<string, { valid: unknown; invalid: unknown; invalidFields: string[] }> = {
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
        const expected = refusals[caller];
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

const COLLECTIONS = [User, Event, Ticket, CheckIn, Subscription, AnalyticsEvent, AuditLog];
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
