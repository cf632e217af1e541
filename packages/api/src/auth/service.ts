import { getConfig } from '@spot/config';
import { type Role, User, type UserFields } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { isDuplicateKey } from '../lib/mongo-errors.ts';
import { hashPassword, verifyAgainstDecoy, verifyPassword } from '../lib/passwords.ts';
import { enforceRateLimit, type RateLimitRule } from '../lib/rate-limit.ts';
import {
  clearedSessionCookie,
  type SessionUser,
  sessionCookie,
  signSession,
  toSessionUser,
} from '../lib/session.ts';
import { announceAccessChange } from '../realtime/channel.ts';
import type { Context } from '../trpc.ts';
import type {
  ChangePasswordInput,
  LoginInput,
  PreferencesInput,
  RegisterInput,
} from './schemas.ts';

const FIFTEEN_MINUTES = 15 * 60;
const LIMITS = {
  loginPerIp: { name: 'login-ip', limit: 30, windowSeconds: FIFTEEN_MINUTES },
  loginPerEmail: { name: 'login-email', limit: 10, windowSeconds: FIFTEEN_MINUTES },
  registerPerIp: { name: 'register-ip', limit: 10, windowSeconds: 60 * 60 },
  registerPerEmail: { name: 'register-email', limit: 5, windowSeconds: 60 * 60 },
} satisfies Record<string, RateLimitRule>;

/** One answer for an unknown email and a wrong password, so accounts cannot be enumerated. */
const INVALID_CREDENTIALS = 'Invalid email or password.';

function cookieOptions() {
  return { secure: getConfig().NODE_ENV !== 'development' };
}

async function startSession(ctx: Context, userId: string, sessionVersion: number): Promise<void> {
  const token = await signSession({ userId, sessionVersion }, getConfig().JWT_SECRET);
  ctx.resHeaders.append('set-cookie', sessionCookie(token, cookieOptions()));
}

/** Creates an account with any role: used by the admin CLI and the dev seed, never by the public API. */
export async function createAccount(input: RegisterInput & { role: Role }) {
  try {
    return await User.create({ ...input, passwordHash: await hashPassword(input.password) });
  } catch (error) {
    if (isDuplicateKey(error)) {
      throw new TRPCError({
        code: 'CONFLICT',
        message: 'An account with this email already exists.',
      });
    }
    throw error;
  }
}

export async function register(ctx: Context, input: RegisterInput): Promise<SessionUser> {
  await enforceRateLimit(LIMITS.registerPerIp, ctx.ip);
  await enforceRateLimit(LIMITS.registerPerEmail, input.email);
  const user = await createAccount({ ...input, role: 'user' });
  await startSession(ctx, String(user._id), user.sessionVersion);
  return toSessionUser(user);
}

export async function login(ctx: Context, input: LoginInput): Promise<SessionUser> {
  await enforceRateLimit(LIMITS.loginPerIp, ctx.ip);
  await enforceRateLimit(LIMITS.loginPerEmail, input.email);
  const user = await User.findOne({ email: input.email }).select('+passwordHash').lean();
  const passwordMatches = user
    ? await verifyPassword(input.password, user.passwordHash)
    : await verifyAgainstDecoy(input.password);
  if (!user || !passwordMatches)
    throw new TRPCError({ code: 'UNAUTHORIZED', message: INVALID_CREDENTIALS });
  if (user.status !== 'active') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'This account is suspended.' });
  }
  await startSession(ctx, String(user._id), user.sessionVersion);
  return toSessionUser(user);
}

export function logout(ctx: Context): void {
  ctx.resHeaders.append('set-cookie', clearedSessionCookie(cookieOptions()));
}

/** A new password ends every other session (their tokens carry the old session version). */
export async function changePassword(
  ctx: Context & { user: SessionUser },
  input: ChangePasswordInput,
): Promise<SessionUser> {
  const user = await User.findById(ctx.user.id).select('+passwordHash').lean();
  if (!user || !(await verifyPassword(input.currentPassword, user.passwordHash))) {
    throw new TRPCError({ code: 'BAD_REQUEST', message: 'The current password is not correct.' });
  }
  const updated = await User.findOneAndUpdate(
    { _id: user._id, sessionVersion: user.sessionVersion },
    { $set: { passwordHash: await hashPassword(input.newPassword) }, $inc: { sessionVersion: 1 } },
    { returnDocument: 'after' },
  ).lean();
  if (!updated)
    throw new TRPCError({
      code: 'CONFLICT',
      message: 'Your account changed meanwhile; try again.',
    });
  await announceAccessChange({ userId: ctx.user.id });
  await startSession(ctx, String(updated._id), updated.sessionVersion);
  return toSessionUser(updated);
}

export interface Preferences {
  interests: PreferencesInput['interests'];
  location: { lat: number; lng: number } | null;
}

function toPreferences(user: Partial<Pick<UserFields, 'interests' | 'location'>>): Preferences {
  const { lat, lng } = user.location ?? {};
  return {
    interests: user.interests ?? [],
    location: typeof lat === 'number' && typeof lng === 'number' ? { lat, lng } : null,
  };
}

/** The caller's interests and location, which the "for you" list is made from. */
export async function preferences(ctx: Context & { user: SessionUser }): Promise<Preferences> {
  const user = await User.findById(ctx.user.id, { interests: 1, location: 1 }).lean();
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return toPreferences(user);
}

export async function updatePreferences(
  ctx: Context & { user: SessionUser },
  input: PreferencesInput,
): Promise<Preferences> {
  const update = input.location
    ? { $set: { interests: input.interests, location: input.location } }
    : { $set: { interests: input.interests }, $unset: { location: 1 } };
  const user = await User.findByIdAndUpdate(ctx.user.id, update, {
    returnDocument: 'after',
    projection: { interests: 1, location: 1 },
  }).lean();
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return toPreferences(user);
}
