import { AuditLog, User } from '@spot/db';
import type { ClientSession, Types } from 'mongoose';
import { newestFirst } from '../lib/cursor.ts';
import { escapeRegex } from '../lib/regex.ts';
import type { SessionUser } from '../trpc.ts';
import type { AuditLogInput } from './schemas.ts';

export interface AdminAction {
  /** `<target kind>.<verb>`, e.g. `user.suspend`. */
  action: string;
  target: { kind: 'user' | 'event' | 'report' | 'dispute'; id: string | Types.ObjectId };
  /** The target's moderated fields before and after the action. */
  before: unknown;
  after: unknown;
  reason?: string | null;
  /** Anything else worth keeping (tickets cancelled, events hidden…). */
  extra?: Record<string, unknown>;
}

/**
 * Writes the audit row of an admin action. Pass the session of the transaction that makes the
 * change, so the change and its row are written together.
 */
export async function recordAdminAction(
  ctx: { user: SessionUser },
  entry: AdminAction,
  session?: ClientSession,
): Promise<void> {
  await AuditLog.create(
    [
      {
        actor: ctx.user.id,
        action: entry.action,
        target: { kind: entry.target.kind, id: String(entry.target.id) },
        details: {
          before: entry.before,
          after: entry.after,
          reason: entry.reason ?? null,
          ...entry.extra,
        },
      },
    ],
    { session },
  );
}

export interface AuditEntry {
  id: string;
  at: Date;
  action: string;
  actor: { id: string; name: string; email: string } | null;
  target: { kind: string; id: string };
  details: Record<string, unknown> | null;
}

/** The audit log, newest first, narrowed by actor, action (prefix: `user.` matches all of them) and target. */
export async function auditLog(
  input: AuditLogInput,
): Promise<{ items: AuditEntry[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const scope = `admin.auditLog:${JSON.stringify(filters)}`;
  const filter: Record<string, unknown> = {
    ...(filters.actorId && { actor: filters.actorId }),
    ...(filters.action && { action: { $regex: `^${escapeRegex(filters.action)}` } }),
    ...(filters.targetKind && { 'target.kind': filters.targetKind }),
    ...(filters.targetId && { 'target.id': filters.targetId }),
  };
  const page = await newestFirst(AuditLog, filter, { cursor, limit }, scope, 'at');
  const actors = await User.find(
    { _id: { $in: page.rows.map((row) => row.actor) } },
    { name: 1, email: 1 },
  ).lean();
  const byId = new Map(actors.map((actor) => [actor._id.toHexString(), actor]));
  return {
    items: page.rows.map((row) => {
      const actor = byId.get(row.actor.toHexString());
      return {
        id: row._id.toHexString(),
        at: row.at,
        action: row.action,
        actor: actor ? { id: actor._id.toHexString(), name: actor.name, email: actor.email } : null,
        target: { kind: row.target?.kind ?? '', id: row.target?.id ?? '' },
        details: (row.details as Record<string, unknown> | undefined) ?? null,
      };
    }),
    nextCursor: page.nextCursor,
  };
}
