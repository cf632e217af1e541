import type { Role, UserFields } from '@spot/db';
import { jwtVerify, SignJWT } from 'jose';
import type { Types } from 'mongoose';

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
const AUDIENCE = 'spot-web';
const ALGORITHM = 'HS256';
const SESSION_SECONDS = 7 * 24 * 60 * 60;

export interface SessionClaims {
  userId: string;
  sessionVersion: number;
}

function key(secret: string): Uint8Array {
  return new TextEncoder().encode(secret);
}

export function signSession(claims: SessionClaims, secret: string): Promise<string> {
  return new SignJWT({ sv: claims.sessionVersion })
    .setProtectedHeader({ alg: ALGORITHM })
    .setSubject(claims.userId)
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(`${SESSION_SECONDS}s`)
    .sign(key(secret));
}

/** Issuer, audience, expiry and the algorithm are all pinned: `alg: none` or RS/HS confusion fail here. */
export async function verifySession(token: string, secret: string): Promise<SessionClaims | null> {
  try {
    const { payload } = await jwtVerify(token, key(secret), {
      issuer: ISSUER,
      audience: AUDIENCE,
      algorithms: [ALGORITHM],
    });
    if (typeof payload.sub !== 'string' || typeof payload.sv !== 'number') return null;
    return { userId: payload.sub, sessionVersion: payload.sv };
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
