import { adminProcedure, createTRPCRouter } from '../trpc.ts';
import { platformAnalytics } from './analytics.ts';
import { auditLog } from './audit.ts';
import * as disputes from './disputes.ts';
import * as events from './events.ts';
import * as reports from './reports.ts';
import {
  auditLogInput,
  disputesInput,
  eventsInput,
  idInput,
  moderationInput,
  periodInput,
  reportsInput,
  resolveDisputeInput,
  resolveReportInput,
  setRoleInput,
  usersInput,
} from './schemas.ts';
import * as users from './users.ts';

// Only admins, and nothing here is reachable from another router: organizer procedures that
// also serve admins (events.get, tickets.bookings…) stay in their own domains.
const admin = adminProcedure.meta({ access: 'admin' });

export const adminRouter = createTRPCRouter({
  users: admin.input(usersInput).query(({ input }) => users.listUsers(input)),
  user: admin.input(idInput).query(({ input }) => users.getUser(input.id)),
  setRole: admin.input(setRoleInput).mutation(({ ctx, input }) => users.setRole(ctx, input)),
  suspend: admin.input(moderationInput).mutation(({ ctx, input }) => users.suspendUser(ctx, input)),
  unsuspend: admin
    .input(moderationInput)
    .mutation(({ ctx, input }) => users.unsuspendUser(ctx, input)),

  events: admin.input(eventsInput).query(({ input }) => events.listEvents(input)),
  removeEvent: admin
    .input(moderationInput)
    .mutation(({ ctx, input }) => events.removeEvent(ctx, input)),
  restoreEvent: admin
    .input(moderationInput)
    .mutation(({ ctx, input }) => events.restoreEvent(ctx, input)),

  reports: admin.input(reportsInput).query(({ input }) => reports.listReports(input)),
  resolveReport: admin
    .input(resolveReportInput)
    .mutation(({ ctx, input }) => reports.resolveReport(ctx, input)),

  disputes: admin.input(disputesInput).query(({ input }) => disputes.listDisputes(input)),
  dispute: admin.input(idInput).query(({ input }) => disputes.getDispute(input.id)),
  resolveDispute: admin
    .input(resolveDisputeInput)
    .mutation(({ ctx, input }) => disputes.resolveDispute(ctx, input)),

  platformAnalytics: admin.input(periodInput).query(({ input }) => platformAnalytics(input)),
  auditLog: admin.input(auditLogInput).query(({ input }) => auditLog(input)),
});
