import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { SUBSCRIPTION_PLANS, SUBSCRIPTION_STATUSES } from '../enums.ts';

const subscriptionSchema = new Schema(
  {
    userId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    plan: { type: String, enum: SUBSCRIPTION_PLANS, required: true, default: 'free' },
    stripeCustomerId: String,
    stripeSubscriptionId: String,
    status: { type: String, enum: SUBSCRIPTION_STATUSES, required: true, default: 'active' },
    currentPeriodEnd: Date,
    cancelAtPeriodEnd: { type: Boolean, required: true, default: false },
    /** Order of the last Stripe event applied (created * 10 + rank of its type): older ones are ignored. */
    lastEventOrder: Number,
  },
  { timestamps: true },
);

subscriptionSchema.index({ userId: 1 }, { unique: true });
subscriptionSchema.index(
  { stripeSubscriptionId: 1 },
  { unique: true, partialFilterExpression: { stripeSubscriptionId: { $type: 'string' } } },
);

export type SubscriptionFields = InferSchemaType<typeof subscriptionSchema>;
export const Subscription: Model<SubscriptionFields> =
  mongoose.models.Subscription ?? model('Subscription', subscriptionSchema);
