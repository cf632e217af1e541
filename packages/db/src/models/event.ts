import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { CURRENCIES, EVENT_CATEGORIES } from '../enums.ts';

/** Static metadata only: sold, viewed and checked-in numbers live in Redis and in their own collections. */
const eventSchema = new Schema(
  {
    title: { type: String, required: true, trim: true, minlength: 3, maxlength: 120 },
    description: { type: String, required: true, trim: true, maxlength: 10_000 },
    category: { type: String, enum: EVENT_CATEGORIES, required: true },
    tags: {
      type: [{ type: String, trim: true, lowercase: true, minlength: 1, maxlength: 30 }],
      default: [],
      validate: [(tags: string[]) => tags.length <= 10, 'at most 10 tags'],
    },
    location: {
      city: { type: String, required: true, trim: true, maxlength: 100 },
      lat: { type: Number, required: true, min: -90, max: 90 },
      lng: { type: Number, required: true, min: -180, max: 180 },
      // GeoJSON copy of lat/lng for the 2dsphere index ([lng, lat] order).
      point: {
        type: { type: String, enum: ['Point'], required: true, default: 'Point' },
        coordinates: { type: [Number], required: true },
      },
    },
    startDate: { type: Date, required: true },
    endDate: { type: Date, required: true },
    coverImage: { type: String, maxlength: 2048 },
    organizerId: { type: Schema.Types.ObjectId, ref: 'User', required: true },
    /** Door staff the organizer added: they may check tickets in, and nothing else. */
    staff: {
      type: [{ type: Schema.Types.ObjectId, ref: 'User' }],
      default: [],
      validate: [(staff: unknown[]) => staff.length <= 50, 'at most 50 staff members'],
    },
    capacity: { type: Number, required: true, min: 1, max: 100_000 },
    isPublished: { type: Boolean, required: true, default: false },
    /** Per ticket, in minor units of `currency` (cents); 0 = free. */
    price: { type: Number, required: true, default: 0, min: 0, max: 1_000_000 },
    currency: { type: String, enum: CURRENCIES, required: true, default: 'eur' },
    /** Whether attendees may cancel (and get refunded) themselves before the event starts. */
    allowTicketCancellation: { type: Boolean, required: true, default: false },
    // Set once by the organizer's cancel; final (a cancelled event is never listed or sold again).
    cancelledAt: Date,
    removed: {
      at: Date,
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      reason: { type: String, maxlength: 500 },
    },
    /**
     * Set while its organizer is suspended: the event was published, and is unpublished pending
     * review; unsuspending the organizer publishes it again. Tickets already sold stay valid.
     */
    hiddenPendingReviewAt: Date,
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

eventSchema.pre('validate', function syncPoint() {
  if (typeof this.location?.lat === 'number' && typeof this.location?.lng === 'number') {
    this.set('location.point', {
      type: 'Point',
      coordinates: [this.location.lng, this.location.lat],
    });
  }
});

eventSchema.path('endDate').validate(function endsAfterStart(
  this: { startDate?: Date },
  endDate: Date,
) {
  return !this.startDate || endDate > this.startDate;
}, 'endDate must be after startDate');

// Explore lists soonest first with `_id` breaking ties (cursor pages), so both keys are indexed:
// the index then yields the sort and a page stops reading after its last row.
eventSchema.index({ isPublished: 1, startDate: 1, _id: 1 });
eventSchema.index({ isPublished: 1, category: 1, startDate: 1, _id: 1 });
eventSchema.index({ 'location.point': '2dsphere' });
// The organizer's events, newest first.
eventSchema.index({ organizerId: 1, createdAt: -1, _id: -1 });
// The events a staff member may scan for.
eventSchema.index({ staff: 1, startDate: 1 });

export type EventFields = InferSchemaType<typeof eventSchema>;
export const Event: Model<EventFields> = mongoose.models.Event ?? model('Event', eventSchema);
