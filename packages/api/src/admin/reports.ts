import { Event, Report, type ReportReason, type ReportStatus, User } from '@spot/db';
import { TRPCError } from '@trpc/server';
import { Types } from 'mongoose';
import { type EventStatus, eventStatus, type StoredEvent } from '../events/output.ts';
import { newestFirst } from '../lib/cursor.ts';
import { atomically } from '../lib/transactions.ts';
import type { Context, SessionUser } from '../trpc.ts';
import { recordAdminAction } from './audit.ts';
import type { ReportsInput, ResolveReportInput } from './schemas.ts';

type AdminContext = Context & { user: SessionUser };

export interface QueuedReport {
  id: string;
  reason: ReportReason;
  text: string | null;
  status: ReportStatus;
  reportedAt: Date;
  event: { id: string; title: string; status: EventStatus } | null;
  reporter: { id: string; name: string; email: string } | null;
  resolution: { note: string | null; at: Date | null } | null;
}

/** The reports queue, most recently reported first; open ones by default in the console. */
export async function listReports(
  input: ReportsInput,
): Promise<{ items: QueuedReport[]; nextCursor: string | null }> {
  const { cursor, limit, ...filters } = input;
  const scope = `admin.reports:${JSON.stringify(filters)}`;
  const filter: Record<string, unknown> = {
    ...(filters.status && { status: filters.status }),
    ...(filters.eventId && { eventId: new Types.ObjectId(filters.eventId) }),
  };
  const page = await newestFirst(Report, filter, { cursor, limit }, scope, 'reportedAt');
  const [events, reporters] = await Promise.all([
    Event.find({ _id: { $in: page.rows.map((row) => row.eventId) } }).lean(),
    User.find(
      { _id: { $in: page.rows.map((row) => row.reporterId) } },
      { name: 1, email: 1 },
    ).lean(),
  ]);
  const eventById = new Map(events.map((event) => [event._id.toHexString(), event as StoredEvent]));
  const reporterById = new Map(reporters.map((user) => [user._id.toHexString(), user]));
  return {
    items: page.rows.map((row) => {
      const event = eventById.get(row.eventId.toHexString());
      const reporter = reporterById.get(row.reporterId.toHexString());
      return {
        id: row._id.toHexString(),
        reason: row.reason,
        text: row.text ?? null,
        status: row.status,
        reportedAt: row.reportedAt,
        event: event
          ? { id: event._id.toHexString(), title: event.title, status: eventStatus(event) }
          : null,
        reporter: reporter
          ? { id: reporter._id.toHexString(), name: reporter.name, email: reporter.email }
          : null,
        resolution:
          row.status === 'open'
            ? null
            : { note: row.resolution?.note ?? null, at: row.resolution?.at ?? null },
      };
    }),
    nextCursor: page.nextCursor,
  };
}

/**
 * Takes an open report out of the queue: dismissed (nothing wrong) or actioned (dealt with,
 * e.g. the organizer was warned). Removing the event actions its open reports by itself.
 */
export async function resolveReport(ctx: AdminContext, input: ResolveReportInput) {
  const report = await Report.findById(input.id).lean();
  if (!report) throw new TRPCError({ code: 'NOT_FOUND', message: 'Report not found.' });
  if (report.status !== 'open') {
    throw new TRPCError({
      code: 'PRECONDITION_FAILED',
      message: `This report is already ${report.status}.`,
    });
  }
  const resolution = { by: new Types.ObjectId(ctx.user.id), at: new Date(), note: input.note };
  await atomically(async (session) => {
    const resolved = await Report.updateOne(
      { _id: report._id, status: 'open' },
      { $set: { status: input.status, resolution } },
      { session },
    );
    if (resolved.modifiedCount === 0) {
      throw new TRPCError({ code: 'CONFLICT', message: 'The report changed meanwhile; reload.' });
    }
    await recordAdminAction(
      ctx,
      {
        action: `report.${input.status === 'dismissed' ? 'dismiss' : 'action'}`,
        target: { kind: 'report', id: report._id },
        before: { status: report.status },
        after: { status: input.status },
        reason: input.note,
        extra: { eventId: report.eventId.toHexString() },
      },
      session,
    );
  });
  return { id: report._id.toHexString(), status: input.status };
}
