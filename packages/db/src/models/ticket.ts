import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { TICKET_STATUSES } from '../enums.ts';

const ticketSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /**
     * The name the ticket was issued to (the buyer's at purchase), as the door shows it: a scan
     * then needs no second read. Tickets from before the field have none.
     */
    holderName: String,
    ticketCode: { type: String, required: true, match: /^[0-9a-f-]{36}$/ },
    qrPayload: { type: String, required: true },
    status: { type: String, enum: TICKET_STATUSES, required: true, default: 'valid' },
    checkedInAt: Date,
    /** The purchase (Hold) it was issued for, and its place in it: `<holdId>:<index>` = Seat.claim. */
    holdId: { type: Schema.Types.ObjectId, ref: 'Hold' },
    purchaseKey: String,
    /** Minor units paid for this ticket (0 when free); what a refund of this ticket gives back. */
    price: { type: Number, min: 0 },
    currency: String,
    cancelledAt: Date,
    cancelledBy: { type: Schema.Types.ObjectId, ref: 'User' },
    refundId: String,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

ticketSchema.index({ ticketCode: 1 }, { unique: true });
ticketSchema.index({ userId: 1, createdAt: -1 });
ticketSchema.index({ eventId: 1, status: 1 });
// Issuing a purchase twice (webhook replays, concurrent deliveries) cannot write a second ticket.
ticketSchema.index(
  { purchaseKey: 1 },
  { unique: true, partialFilterExpression: { purchaseKey: { $type: 'string' } } },
);
ticketSchema.index({ eventId: 1, createdAt: -1, _id: -1 });
// The check-in reconciler's sweep over recent check-ins.
ticketSchema.index({ checkedInAt: 1 }, { partialFilterExpression: { status: 'used' } });

export type TicketFields = InferSchemaType<typeof ticketSchema>;
export const Ticket: Model<TicketFields> = mongoose.models.Ticket ?? model('Ticket', ticketSchema);
