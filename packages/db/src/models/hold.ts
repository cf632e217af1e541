import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { CURRENCIES, HOLD_STATUSES, PAYMENT_PROVIDERS } from '../enums.ts';

/**
 * One purchase attempt: N places held for a buyer until `expiresAt`, its payment, and what came
 * of it. The places themselves are Seat documents; this record stays as the order's history.
 */
const holdSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    quantity: { type: Number, required: true, min: 1, max: 10 },
    /** Total in minor units, computed by the server from the event's price; 0 for free events. */
    amount: { type: Number, required: true, min: 0 },
    currency: { type: String, enum: CURRENCIES, required: true },
    status: { type: String, enum: HOLD_STATUSES, required: true, default: 'pending' },
    expiresAt: { type: Date, required: true },
    provider: { type: String, enum: PAYMENT_PROVIDERS, required: true },
    paymentIntentId: String,
    clientSecret: { type: String, select: false },
    /** Why the order ended the way it did, for the buyer ("sold out after your hold expired"). */
    outcome: { type: String, maxlength: 500 },
    issuedAt: Date,
    refunds: {
      type: [
        {
          refundId: { type: String, required: true },
          amount: { type: Number, required: true },
          reason: { type: String, required: true },
          ticketIds: [{ type: Schema.Types.ObjectId, ref: 'Ticket' }],
          at: { type: Date, required: true },
        },
      ],
      default: [],
    },
  },
  { timestamps: true },
);

holdSchema.index(
  { paymentIntentId: 1 },
  { unique: true, partialFilterExpression: { paymentIntentId: { $type: 'string' } } },
);
holdSchema.index({ userId: 1, createdAt: -1 });
holdSchema.index({ eventId: 1, status: 1 });
// The sweep of holds whose buyer never paid.
holdSchema.index({ status: 1, expiresAt: 1 });

export type HoldFields = InferSchemaType<typeof holdSchema>;
export const Hold: Model<HoldFields> = mongoose.models.Hold ?? model('Hold', holdSchema);
