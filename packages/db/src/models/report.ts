import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { REPORT_REASONS, REPORT_STATUSES } from '../enums.ts';

/**
 * A signed-in user's report of an event to the moderators. One per (event, reporter): reporting
 * the same event again replaces the reason and text and puts the report back in the queue.
 */
const reportSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
    reporterId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    reason: { type: String, enum: REPORT_REASONS, required: true },
    text: { type: String, trim: true, maxlength: 2000 },
    status: { type: String, enum: REPORT_STATUSES, required: true, default: 'open' },
    /** When it was (last) reported: the queue's order. */
    reportedAt: { type: Date, required: true, default: () => new Date() },
    resolution: {
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: Date,
      note: { type: String, maxlength: 1000 },
    },
  },
  { timestamps: true },
);

reportSchema.index({ eventId: 1, reporterId: 1 }, { unique: true });
// The admins' queue, newest first, per status.
reportSchema.index({ status: 1, reportedAt: -1, _id: -1 });
reportSchema.index({ reportedAt: -1, _id: -1 });
// Open reports per event (the events list's "reported" filter and counts).
reportSchema.index({ eventId: 1, status: 1 });

export type ReportFields = InferSchemaType<typeof reportSchema>;
export const Report: Model<ReportFields> = mongoose.models.Report ?? model('Report', reportSchema);
