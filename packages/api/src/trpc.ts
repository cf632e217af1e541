import { initTRPC, TRPCError } from '@trpc/server';
import superjson from 'superjson';
import { ZodError, z } from 'zod';
import { clientAddress } from './lib/client-address.ts';
import { type SessionUser, sessionUserFromCookies } from './lib/session.ts';

export type { SessionUser } from './lib/session.ts';

export interface Context {
  user: SessionUser | null;
  /** Client address for rate limits (see clientAddress). */
  ip: string;
  /** The browser's User-Agent: with the address, it tells anonymous visitors apart (view counts). */
  userAgent: string;
  /** Response headers; procedures add Set-Cookie here. */
  resHeaders: Headers;
}

export interface CreateContextOptions {
  headers: Pick<Headers, 'get'>;
  resHeaders: Headers;
}

/**
 * Who is calling: the session cookie's JWT is verified, then the user is loaded, so a suspended
 * or deleted account, or one whose sessions were revoked, is refused on its very next request.
 */
export async function createContext({
  headers,
  resHeaders,
}: CreateContextOptions): Promise<Context> {
  const ip = clientAddress(headers.get('x-forwarded-for'));
  const user = await sessionUserFromCookies(headers.get('cookie'));
  const userAgent = headers.get('user-agent') ?? '';
  return { ip, userAgent, resHeaders, user };
}

/** Who may call a procedure; every procedure declares it, and the role-matrix test holds it to it. */
export type Access = 'public' | 'authed' | 'organizer' | 'admin';

export interface Meta {
  access: Access;
}

const t = initTRPC
  .context<Context>()
  .meta<Meta>()
  .create({
    transformer: superjson,
    // Never send stack traces, in any environment.
    isDev: false,
    errorFormatter({ shape, error }) {
      const zodError =
        error.code === 'BAD_REQUEST' && error.cause instanceof ZodError
          ? z.flattenError(error.cause)
          : null;
      const message =
        error.code === 'INTERNAL_SERVER_ERROR'
          ? 'Something went wrong on our side.'
          : shape.message;
      return { ...shape, message, data: { ...shape.data, zodError } };
    },
  });

export const createTRPCRouter = t.router;
export const createCallerFactory = t.createCallerFactory;

export const publicProcedure = t.procedure;

export const authedProcedure = t.procedure.use(({ ctx, next }) => {
  if (!ctx.user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  return next({ ctx: { ...ctx, user: ctx.user } });
});

/**
 * Organizers, and admins where the product lets admins act on organizer data: the rule of
 * `organizerProcedure`, for the few endpoints outside tRPC (CSV exports).
 */
export function requireOrganizer(user: SessionUser | null): SessionUser {
  if (!user) throw new TRPCError({ code: 'UNAUTHORIZED', message: 'Please sign in.' });
  if (user.role !== 'organizer' && user.role !== 'admin') {
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only organizers can do this.' });
  }
  return user;
}

export const organizerProcedure = authedProcedure.use(({ ctx, next }) => {
  requireOrganizer(ctx.user);
  return next();
});

export const adminProcedure = authedProcedure.use(({ ctx, next }) => {
  if (ctx.user.role !== 'admin')
    throw new TRPCError({ code: 'FORBIDDEN', message: 'Only admins can do this.' });
  return next();
});
