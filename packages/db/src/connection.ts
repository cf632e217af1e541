import mongoose from 'mongoose';
import { AnalyticsEvent } from './models/analytics-event.ts';
import { AuditLog } from './models/audit-log.ts';
import { CheckIn } from './models/check-in.ts';
import { Dispute } from './models/dispute.ts';
import { Event } from './models/event.ts';
import { Hold } from './models/hold.ts';
import { Report } from './models/report.ts';
import { Seat } from './models/seat.ts';
import { Subscription } from './models/subscription.ts';
import { Ticket } from './models/ticket.ts';
import { User } from './models/user.ts';

const MODELS = [
  User,
  Event,
  Ticket,
  Hold,
  Seat,
  CheckIn,
  Subscription,
  AnalyticsEvent,
  AuditLog,
  Report,
  Dispute,
];

export interface ConnectOptions {
  attempts?: number;
  initialDelayMs?: number;
  onRetry?: (attempt: number, error: unknown) => void;
}

/** The dev database served by the embedded engine that `pnpm dev` starts (a one-member replica set). */
export function defaultMongoUri(port: number): string {
  return `mongodb://127.0.0.1:${port}/spot?replicaSet=spot`;
}

/**
 * Connects with exponential backoff (the database may still be starting next to us), then makes
 * sure every model's indexes exist: unique constraints are part of correctness, not an optimisation.
 */
export async function connectDatabase(
  uri: string,
  options: ConnectOptions = {},
): Promise<typeof mongoose> {
  const attempts = options.attempts ?? 8;
  let delay = options.initialDelayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      await mongoose.connect(uri, { serverSelectionTimeoutMS: 3000 });
      await Promise.all(MODELS.map((model) => model.init()));
      return mongoose;
    } catch (error) {
      await mongoose.disconnect().catch(() => {});
      if (attempt >= attempts) throw error;
      options.onRetry?.(attempt, error);
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 5000);
    }
  }
}

export async function disconnectDatabase(): Promise<void> {
  await mongoose.disconnect();
}
