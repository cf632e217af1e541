import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { ANALYTICS_TYPES } from '../enums.ts';

/** Recorded by the backend only, from real server actions; history for the live Redis counters. */
const analyticsEventSchema = new Schema(
  {
    eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
    type: { type: String, enum: ANALYTICS_TYPES, required: true },
    userId: { type: Schema.Types.ObjectId, ref: 'User' },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

analyticsEventSchema.index({ eventId: 1, type: 1, createdAt: 1 });

export type AnalyticsEventFields = InferSchemaType<typeof analyticsEventSchema>;
export const AnalyticsEvent: Model<AnalyticsEventFields> =
  mongoose.models.AnalyticsEvent ?? model('AnalyticsEvent', analyticsEventSchema);
