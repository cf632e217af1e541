import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { SCAN_FAILURES } from '../enums.ts';

/** Every refused scan (who, when, why), for the organizer's log and for disputes. */
const failedScanSchema = new Schema({
  eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
  scannedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  at: { type: Date, required: true, default: () => new Date() },
  reason: { type: String, enum: SCAN_FAILURES, required: true },
  /** The ticket when the payload named a real one (used, cancelled, another event's). */
  ticketId: { type: Schema.Types.ObjectId, ref: 'Ticket' },
  gate: { type: String, maxlength: 60 },
  device: { type: String, maxlength: 120 },
  nonce: { type: String, required: true, maxlength: 64 },
});

failedScanSchema.index({ eventId: 1, at: -1, _id: -1 });
failedScanSchema.index({ ticketId: 1, at: -1 });
// A retried attempt (same scanner, same nonce) is logged once.
failedScanSchema.index({ scannedBy: 1, nonce: 1 }, { unique: true });

export type FailedScanFields = InferSchemaType<typeof failedScanSchema>;
export const FailedScan: Model<FailedScanFields> =
  mongoose.models.FailedScan ?? model('FailedScan', failedScanSchema);
