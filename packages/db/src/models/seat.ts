import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { SEAT_STATES } from '../enums.ts';

/**
 * One taken place of an event. Capacity is enforced without any counter: a place is a slot number
 * 1..capacity, and the unique (eventId, slot) index lets exactly one seat document own it. A held
 * seat carries `expiresAt` (the TTL index deletes it once passed; buyers may also take over an
 * expired seat before the sweep runs); a sold seat has none and stays until its ticket is cancelled.
 *
 * `claim` names the place within its purchase (`<holdId>:<index>`), unique, so re-running the
 * issuance of a purchase (webhook replays) finds its seats instead of taking new ones.
 */
const seatSchema = new Schema({
  eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
  slot: { type: Number, required: true, min: 1 },
  holdId: { type: Schema.Types.ObjectId, ref: 'Hold', required: true },
  claim: { type: String, required: true },
  state: { type: String, enum: SEAT_STATES, required: true },
  expiresAt: Date,
});

seatSchema.index({ eventId: 1, slot: 1 }, { unique: true });
seatSchema.index({ claim: 1 }, { unique: true });
seatSchema.index({ holdId: 1 });
seatSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type SeatFields = InferSchemaType<typeof seatSchema>;
export const Seat: Model<SeatFields> = mongoose.models.Seat ?? model('Seat', seatSchema);
