import { User } from '@spot/db';
import { SignJWT } from 'jose';
import { describe, expect, it } from 'vitest';
import { failure, outcome, uniqueEmail, useApi } from './harness.ts';

const api = useApi('spot_api_auth');
const password = 'a long enough password';

const secret = () => new TextEncoder().encode(process.env.JWT_SECRET);

function tokenFor(
  userId: string,
  overrides: { sv?: number; exp?: number; aud?: string; key?: Uint8Array } = {},
) {
  return new SignJWT({ sv: overrides.sv ?? 0 })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject(userId)
    .setIssuer('spot')
    .setAudience(overrides.aud ?? 'spot-web')
    .setIssuedAt()
    .setExpirationTime(overrides.exp ?? '1h')
    .sign(overrides.key ?? secret());
}

async function registered(email: string) {
  const agent = api.agent();
  const user = (await agent.mutate('auth.register', { email, password, name: 'Ann Example' })) as {
    id: string;
  };
  return { agent, user };
}

describe('register, login, me, logout', () => {
  it('register signs the new user in with an HttpOnly, SameSite=Lax session cookie', async () => {
    const { agent, user } = await registered(uniqueEmail('ann').toUpperCase());
    const [cookie] = agent.lastSetCookies;
    expect(cookie).toMatch(/^spot_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax; Max-Age=\d+/);
    // NODE_ENV is "test" here: only development sends the cookie without Secure.
    expect(cookie).toContain('Secure');
    const me = await agent.query('auth.me');
    expect(me).toMatchObject({
      id: user.id,
      email: uniqueEmail('ann'),
      name: 'Ann Example',
      role: 'user',
    });
    expect(JSON.stringify(me)).not.toContain('passwordHash');
  });

  it('the public register never grants more than the user role', async () => {
    const agent = api.agent();
    await agent.mutate('auth.register', {
      email: uniqueEmail('sneaky'),
      password,
      name: 'Sneaky',
      role: 'admin',
    });
    expect(await agent.query('auth.me')).toMatchObject({ role: 'user' });
  });

  it('login answers the same for an unknown email and a wrong password', async () => {
    await registered(uniqueEmail('bob'));
    const wrongPassword = await failure(
      api.agent().mutate('auth.login', { email: uniqueEmail('bob'), password: 'not the password' }),
    );
    const unknownEmail = await failure(
      api.agent().mutate('auth.login', { email: uniqueEmail('nobody'), password }),
    );
    expect(wrongPassword.data?.code).toBe('UNAUTHORIZED');
    expect(unknownEmail.data?.code).toBe('UNAUTHORIZED');
    expect(wrongPassword.message).toBe(unknownEmail.message);
  });

  it('login with the right password (any email case) signs in; logout clears the cookie', async () => {
    await registered(uniqueEmail('cy'));
    const agent = api.agent();
    await agent.mutate('auth.login', { email: uniqueEmail('cy').toUpperCase(), password });
    expect(await agent.query('auth.me')).toMatchObject({ email: uniqueEmail('cy') });
    await agent.mutate('auth.logout');
    expect(agent.lastSetCookies[0]).toMatch(/^spot_session=; .*Max-Age=0/);
    expect(await agent.query('auth.me')).toBeNull();
  });

  it('registering an email twice is a conflict, not a second account', async () => {
    await registered(uniqueEmail('dup'));
    const error = await failure(
      api.agent().mutate('auth.register', {
        email: uniqueEmail('dup').toUpperCase(),
        password,
        name: 'Dup',
      }),
    );
    expect(error.data?.code).toBe('CONFLICT');
    expect(await User.countDocuments({ email: uniqueEmail('dup') })).toBe(1);
  });
});

describe('session tokens', () => {
  it('tampered, expired, alg:none, wrong-key and wrong-audience tokens are all refused', async () => {
    const { agent, user } = await registered(uniqueEmail('tokens'));
    const valid = agent.cookie?.split('=')[1] as string;
    const [header, payload, signature] = valid.split('.') as [string, string, string];
    // Change a middle character: the last one carries padding bits that decoding may ignore.
    const flipped = `${signature.slice(0, 10)}${signature[10] === 'A' ? 'B' : 'A'}${signature.slice(11)}`;
    const none = `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${payload}.`;
    const forged = [
      `${header}.${payload}.${flipped}`,
      none,
      await tokenFor(user.id, { exp: Math.floor(Date.now() / 1000) - 60 }),
      await tokenFor(user.id, {
        key: new TextEncoder().encode('another-secret-that-is-also-long-enough'),
      }),
      await tokenFor(user.id, { aud: 'someone-else' }),
      'not-a-jwt',
    ];
    for (const token of forged) {
      const intruder = api.agent();
      intruder.cookie = `spot_session=${token}`;
      expect(await intruder.query('auth.me')).toBeNull();
      expect(
        await outcome(
          intruder.mutate('auth.changePassword', {
            currentPassword: password,
            newPassword: 'whatever-else-123',
          }),
        ),
      ).toBe('UNAUTHORIZED');
    }
    const honest = api.agent();
    honest.cookie = `spot_session=${await tokenFor(user.id)}`;
    expect(await honest.query('auth.me')).toMatchObject({ id: user.id });
  });

  it('a suspended user is refused on the very next request, with a still-valid token', async () => {
    const { agent, user } = await registered(uniqueEmail('suspended'));
    expect(await agent.query('auth.me')).toMatchObject({ id: user.id });
    await User.updateOne({ _id: user.id }, { $set: { status: 'suspended' } });
    expect(await agent.query('auth.me')).toBeNull();
    expect(
      await outcome(
        agent.mutate('auth.changePassword', {
          currentPassword: password,
          newPassword: 'another-password-1',
        }),
      ),
    ).toBe('UNAUTHORIZED');
    const relogin = await failure(
      api.agent().mutate('auth.login', { email: uniqueEmail('suspended'), password }),
    );
    expect(relogin.data?.code).toBe('FORBIDDEN');
  });

  it('a deleted user is refused', async () => {
    const { agent, user } = await registered(uniqueEmail('deleted'));
    await User.deleteOne({ _id: user.id });
    expect(await agent.query('auth.me')).toBeNull();
  });

  it('changing the password ends other sessions, keeps this one, and retires the old password', async () => {
    const { agent } = await registered(uniqueEmail('rotate'));
    const laptop = api.agent();
    await laptop.mutate('auth.login', { email: uniqueEmail('rotate'), password });
    const wrong = await failure(
      agent.mutate('auth.changePassword', {
        currentPassword: 'not it',
        newPassword: 'brand new password',
      }),
    );
    expect(wrong.data?.code).toBe('BAD_REQUEST');
    await agent.mutate('auth.changePassword', {
      currentPassword: password,
      newPassword: 'brand new password',
    });
    expect(await agent.query('auth.me')).toMatchObject({ email: uniqueEmail('rotate') });
    expect(await laptop.query('auth.me')).toBeNull();
    expect(
      await outcome(api.agent().mutate('auth.login', { email: uniqueEmail('rotate'), password })),
    ).toBe('UNAUTHORIZED');
    expect(
      await outcome(
        api
          .agent()
          .mutate('auth.login', { email: uniqueEmail('rotate'), password: 'brand new password' }),
      ),
    ).toBe('OK');
  });
});

describe('rate limits', () => {
  it('login is limited per email, whatever the source address, even for unknown accounts', async () => {
    const attempts = [];
    for (let i = 0; i < 12; i++) {
      attempts.push(
        await outcome(
          api
            .agent(`192.0.2.${i}`)
            .mutate('auth.login', { email: uniqueEmail('target'), password: 'guess' }),
        ),
      );
    }
    expect(attempts.slice(0, 10)).toEqual(Array(10).fill('UNAUTHORIZED'));
    expect(attempts.slice(10)).toEqual(['TOO_MANY_REQUESTS', 'TOO_MANY_REQUESTS']);
  });

  it('login is limited per address across emails', async () => {
    const attacker = api.agent(
      `198.51.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`,
    );
    const results = [];
    for (let i = 0; i < 32; i++) {
      results.push(
        await outcome(
          attacker.mutate('auth.login', { email: uniqueEmail(`victim${i}`), password: 'guess' }),
        ),
      );
    }
    expect(results.filter((result) => result === 'TOO_MANY_REQUESTS').length).toBe(2);
  });

  it('addresses a client writes into X-Forwarded-For do not escape the limit', async () => {
    // What our proxy appended (the address it saw) comes last; the rest is the client's own text.
    const seenByProxy = `198.18.${Math.floor(Math.random() * 250)}.${Math.floor(Math.random() * 250)}`;
    const results = [];
    for (let i = 0; i < 32; i++) {
      const forger = api.agent(`203.0.113.${i}, ${seenByProxy}`);
      results.push(
        await outcome(
          forger.mutate('auth.login', { email: uniqueEmail(`forged${i}`), password: 'guess' }),
        ),
      );
    }
    expect(results.filter((result) => result === 'TOO_MANY_REQUESTS').length).toBe(2);
  });
});
