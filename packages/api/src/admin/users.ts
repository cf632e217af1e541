import {
  AuditLog,
  Dispute,
  Event,
  Report,
  type Role,
  Ticket,
  User,
  type UserFields,
  type UserStatus,
} from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { newestFirst } from '../lib/cursor.ts';
import { escapeRegex } from '../lib/regex.ts';
import { atomically } from '../lib/transactions.ts';
import { announceAccessChange } from '../realtime/channel.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { recordAdminAction } from './audit.ts';
import type { ModerationInput, SetRoleInput, UsersInput } from './schemas.ts';

type AdminContext = Context & { user: SessionUser };
type StoredUser = UserFields & { _id: Types.ObjectId; createdAt: Date };

export interface AdminUser {
  id: string;
  name: string;
  email: string;
  role: Role;
  status: UserStatus;
  createdAt: Date;
  suspension: { reason: string | null; at: Date | null } | null;
}

function toAdminUser(user: StoredUser): AdminUser {
  return {
    id: user._id.toHexString(),
    name: user.name,
    email: user.email,
    role: user.role,
    status: user.status,
    createdAt: user.createdAt,
    suspension:
      user.status === 'suspended'
        ? { reason: user.suspension?.reason ?? null, at: user.suspension?.at ?? null }
        : null,
  };
}

const userNotFound = () => new TRPCError({ code: 'NOT_FOUND', message: 'User not found.' });
const changedMeanwhile = () =>
  new TRPCError({
    code: 'CONFLICT',
    message: 'The account changed meanwhile; reload and try again.',
  });

/** Accounts, newest first, by name or email fragment, role and status. */
export async function listUsers(
  input: UsersInput,
): Promise<{ items: AdminUser[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const scope = `admin.users:${JSON.stringify(filters)}`;
  const pattern = filters.query && { $regex: escapeRegex(filters.query), $options: 'i' };
  const filter: Record<string, unknown> = {
    ...(filters.role && { role: filters.role }),
    ...(filters.status && { status: filters.status }),
    ...(pattern && { $or: [{ name: pattern }, { email: pattern }] }),
  };
  const page = await newestFirst(User, filter, { cursor, limit }, scope);
  return { items: page.rows.map(toAdminUser), nextCursor: page.nextCursor };
}

/** One account, with what it did on the platform and the latest admin actions about it. */
export async function getUser(id: string) {
  const user = (await User.findById(id).lean()) as StoredUser | null;
  if (!user) throw userNotFound();
  const [events, tickets, reportsFiled, disputes, history, suspendedBy] = await Promise.all([
    Event.countDocuments({ organizerId: user._id }),
    Ticket.countDocuments({ userId: user._id }),
    Report.countDocuments({ reporterId: user._id }),
    Dispute.countDocuments({ userId: user._id }),
    AuditLog.find({ 'target.kind': 'user', 'target.id': id }).sort({ at: -1 }).limit(10).lean(),
    user.suspension?.by ? User.findById(user.suspension.by, { name: 1 }).lean() : null,
  ]);
  return {
    ...toAdminUser(user),
    suspendedBy: user.status === 'suspended' ? (suspendedBy?.name ?? null) : null,
    counts: { events, tickets, reportsFiled, disputes },
    history: history.map((row) => ({
      id: row._id.toHexString(),
      at: row.at,
      action: row.action,
      reason: ((row.details as { reason?: string } | undefined)?.reason ?? null) as string | null,
    })),
  };
}

/**
 * The account an admin may act on: it exists, is not the admin themself, and is not an admin
 * (admins are made and unmade by the CLI, so no admin can lock another out from the console).
 */
async function findManageableUser(ctx: AdminContext, id: string): Promise<StoredUser> {
  const user = (await User.findById(id).lean()) as StoredUser | null;
  if (!user) throw userNotFound();
  if (user._id.equals(ctx.user.id)) {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'You cannot do this to yourself.',
    });
  }
  if (user.role === 'admin') {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'Admin accounts are managed with the command line, not the console.',
    });
  }
  return user;
}

/** user ↔ organizer. The session reloads the role on every request, so it applies at once. */
export async function setRole(ctx: AdminContext, input: SetRoleInput): Promise<AdminUser> {
  const user = await findManageableUser(ctx, input.id);
  if (user.role === input.role) return toAdminUser(user);
  const updated = await atomically(async (session) => {
    const changed = (await User.findOneAndUpdate(
      { _id: user._id, role: user.role },
      { $set: { role: input.role } },
      { session, returnDocument: 'after' },
    ).lean()) as StoredUser | null;
    if (!changed) throw changedMeanwhile();
    await recordAdminAction(
      ctx,
      {
        action: 'user.role',
        target: { kind: 'user', id: user._id },
        before: { role: user.role },
        after: { role: input.role },
        reason: input.reason,
      },
      session,
    );
    return changed;
  });
  return toAdminUser(updated);
}

/**
 * Suspends an account: its sessions end at once (the session version every token carries is
 * bumped, the status is checked on every request, and its live sockets are dropped), it can no
 * longer log in, and its published events are unpublished pending review
 * (Event.hiddenPendingReviewAt). Tickets already sold for them stay valid; removing an event is a
 * separate decision.
 */
export async function suspendUser(ctx: AdminContext, input: ModerationInput) {
  const user = await findManageableUser(ctx, input.id);
  if (user.status === 'suspended') {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: 'This account is already suspended.',
    });
  }
  const at = new Date();
  const suspension = { reason: input.reason, by: new Types.ObjectId(ctx.user.id), at };
  const suspended = await atomically(async (session) => {
    const changed = (await User.findOneAndUpdate(
      { _id: user._id, status: 'active', role: { $ne: 'admin' } },
      { $set: { status: 'suspended', suspension }, $inc: { sessionVersion: 1 } },
      { session, returnDocument: 'after' },
    ).lean()) as StoredUser | null;
    if (!changed) throw changedMeanwhile();
    const hidden = await Event.updateMany(
      { organizerId: user._id, isPublished: true, hiddenPendingReviewAt: null },
      { $set: { isPublished: false, hiddenPendingReviewAt: at } },
      { session },
    );
    await recordAdminAction(
      ctx,
      {
        action: 'user.suspend',
        target: { kind: 'user', id: user._id },
        before: { status: user.status },
        after: { status: changed.status, suspension: { reason: input.reason, at } },
        reason: input.reason,
        extra: { eventsHidden: hidden.modifiedCount },
      },
      session,
    );
    return { user: toAdminUser(changed), eventsHidden: hidden.modifiedCount };
  });
  await announceAccessChange({ userId: input.id });
  return suspended;
}

/**
 * Lifts a suspension: the account may log in again (sessions from before stay ended) and the
 * events hidden by the suspension are published again.
 */
export async function unsuspendUser(ctx: AdminContext, input: ModerationInput) {
  const user = await findManageableUser(ctx, input.id);
  if (user.status !== 'suspended') {
    throw new TRPCError({ code: 'PRECONDITION_FAILED', message: 'This account is not suspended.' });
  }
  return atomically(async (session) => {
    const changed = (await User.findOneAndUpdate(
      { _id: user._id, status: 'suspended' },
      { $set: { status: 'active' }, $unset: { suspension: 1 } },
      { session, returnDocument: 'after' },
    ).lean()) as StoredUser | null;
    if (!changed) throw changedMeanwhile();
    const shown = await Event.updateMany(
      { organizerId: user._id, hiddenPendingReviewAt: { $ne: null } },
      { $set: { isPublished: true }, $unset: { hiddenPendingReviewAt: 1 } },
      { session },
    );
    await recordAdminAction(
      ctx,
      {
        action: 'user.unsuspend',
        target: { kind: 'user', id: user._id },
        before: {
          status: user.status,
          suspension: { reason: user.suspension?.reason ?? null, at: user.suspension?.at ?? null },
        },
        after: { status: changed.status },
        reason: input.reason,
        extra: { eventsShown: shown.modifiedCount },
      },
      session,
    );
    return { user: toAdminUser(changed), eventsShown: shown.modifiedCount };
  });
}
