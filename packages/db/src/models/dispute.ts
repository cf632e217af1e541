import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { DISPUTE_OUTCOMES, DISPUTE_REASONS, DISPUTE_STATUSES } from '../enums.ts';

/** A ticket holder's claim about one ticket, resolved by an admin with an outcome and a note. */
const disputeSchema = new Schema(
  {
    ticketId: { type: Schema.Types.ObjectId, ref: 'Ticket', required: true },
    eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
    /** The ticket's holder, who opened it. */
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    reason: { type: String, enum: DISPUTE_REASONS, required: true },
    text: { type: String, required: true, trim: true, maxlength: 2000 },
    status: { type: String, enum: DISPUTE_STATUSES, required: true, default: 'open' },
    resolution: {
      outcome: { type: String, enum: DISPUTE_OUTCOMES },
      /** Shown to the holder with the outcome. */
      note: { type: String, maxlength: 1000 },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: Date,
      /** The ticket a reissue replaced this one with. */
      newTicketId: { type: Schema.Types.ObjectId, ref: 'Ticket' },
    },
  },
  { timestamps: true },
);

// At most one open dispute per ticket; resolved ones stay as its history.
disputeSchema.index(
  { ticketId: 1 },
  { unique: true, partialFilterExpression: { status: 'open' }, name: 'one_open_per_ticket' },
);
disputeSchema.index({ ticketId: 1, createdAt: -1 });
disputeSchema.index({ userId: 1, createdAt: -1, _id: -1 });
disputeSchema.index({ status: 1, createdAt: -1, _id: -1 });
disputeSchema.index({ createdAt: -1, _id: -1 });

export type DisputeFields = InferSchemaType<typeof disputeSchema>;
export const Dispute: Model<DisputeFields> =
  mongoose.models.Dispute ?? model('Dispute', disputeSchema);
