import { getConfig } from '@spot/config';
import { type Role, User, type UserFields } from '@spot/db';
import { jwtVerify, SignJWT } from 'jose';
import { isValidObjectId, Types } from 'mongoose';

/** What the API knows about the caller: enough to authorise, nothing secret. */
export interface SessionUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  isPremium: boolean;
}

export function toSessionUser(user: UserFields & { _id: Types.ObjectId }): SessionUser {
  return {
    id: String(user._id),
    name: user.name,
    email: user.email,
    role: user.role,
    isPremium: user.isPremium,
  };
}

export const SESSION_COOKIE = 'spot_session';
const ISSUER = 'spot';
const ALGORITHM = 'HS256';
const SESSION_SECONDS = 7 * 24 * 60 * 60;

/**
 * What a token is good for: the browser session cookie, or a short-lived token a client hands to
 * the realtime server instead of a cookie (the scanner PWA on another origin). The audience keeps
 * one from being used as the other.
 */
export const SESSION_TOKEN = { audience: 'spot-web', seconds: SESSION_SECONDS } as const;
export const REALTIME_TOKEN = { audience: 'spot-realtime', seconds: 120 } as const;

export interface TokenKind {
  audience: string;
  seconds: number;
}

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signSession(
  claims: SessionClaims,
  secret: string,
  kind: TokenKind = SESSION_TOKEN,
): Promise<string> {
  return new SignJWT({ sv: claims.sessionVersion })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(kind.audience)
    .setIssuedAt()
    .setExpirationTime(`${kind.seconds}s`)
    .sign(key(secret));
}

/**
 * Tokens that verified, with their expiry: a scanner or dashboard sends the same token with every
 * request, and its signature cannot change, so it is checked once. Keyed by secret, audience and
 * the whole token; entries die with the token's expiry. The user behind it is still reloaded on
 * every request (see sessionUserFromToken), so revocation stays immediate.
 */
const verifiedTokens = new Map<string, { claims: SessionClaims; expiresAt: number }>();
const MAX_VERIFIED_TOKENS = 10_000;

/** Issuer, audience, expiry and the algorithm are all pinned: `alg: none` or RS/HS confusion fail here. */
export async function verifySession(
  token: string,
  secret: string,
  kind: TokenKind = SESSION_TOKEN,
): Promise<SessionClaims | null> {
  const cacheKey = `${kind.audience}\u0000${secret}\u0000${token}`;
  const known = verifiedTokens.get(cacheKey);
  if (known && known.expiresAt > Date.now()) return known.claims;
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: kind.audience,
      algorithms: [ALGORITHM],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sv !== 'number') return null;
    const claims = { userId: payload.sub, sessionVersion: payload.sv };
    if (typeof payload.exp === 'number') {
      if (verifiedTokens.size >= MAX_VERIFIED_TOKENS) verifiedTokens.clear();
      verifiedTokens.set(cacheKey, { claims, expiresAt: payload.exp * 1000 });
    }
    return claims;
  } catch {
    return null;
  }
}

interface CookieOptions {
  secure: boolean;
}

function cookie(value: string, maxAge: number, options: CookieOptions): string {
  const attributes = [
    `${SESSION_COOKIE}=${value}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${maxAge}`,
  ];
  if (options.secure) attributes.push('Secure');
  return attributes.join('; ');
}

export function sessionCookie(token: string, options: CookieOptions): string {
  return cookie(token, SESSION_SECONDS, options);
}

export function clearedSessionCookie(options: CookieOptions): string {
  return cookie('', 0, options);
}

export function readCookie(header: string | null, name: string): string | undefined {
  for (const part of header?.split(';') ?? []) {
    const [cookieName, ...value] = part.trim().split('=');
    if (cookieName === name) return value.join('=');
  }
  return undefined;
}

const SESSION_USER_FIELDS = {
  name: 1,
  email: 1,
  role: 1,
  isPremium: 1,
  status: 1,
  sessionVersion: 1,
} as const;

/**
 * The signed-in user behind a session token, or null. The user is reloaded on every call, so a
 * suspended or deleted account, or one whose sessions were revoked, is refused at once.
 */
export async function sessionUserFromToken(
  token: string | undefined,
  kind: TokenKind = SESSION_TOKEN,
): Promise<SessionUser | null> {
  const claims = token ? await verifySession(token, getConfig().JWT_SECRET, kind) : null;
  if (!claims || !isValidObjectId(claims.userId)) return null;
  // Every request reads its user: through the driver, which costs half of Mongoose's lean read,
  // and only what a session needs (not the password hash).
  const user = (await User.collection.findOne(
    { _id: new Types.ObjectId(claims.userId) },
    { projection: SESSION_USER_FIELDS },
  )) as (UserFields & { _id: Types.ObjectId }) | null;
  const active = user && user.status === 'active' && user.sessionVersion === claims.sessionVersion;
  return active ? toSessionUser(user) : null;
}

export function sessionUserFromCookies(cookieHeader: string | null | undefined) {
  return sessionUserFromToken(readCookie(cookieHeader ?? null, SESSION_COOKIE));
}
