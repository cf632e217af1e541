import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';

/** The source of truth for check-in history and disputes; one per ticket, enforced by the index. */
const checkInSchema = new Schema({
  eventId: { type: Schema.Types.ObjectId, ref: 'Event', required: true },
  ticketId: { type: Schema.Types.ObjectId, ref: 'Ticket', required: true },
  scannedBy: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  scannedAt: { type: Date, required: true, default: () => new Date() },
  /** Which door and which phone, for disputes ("I was let in at the north gate"). */
  gate: { type: String, maxlength: 60 },
  device: { type: String, maxlength: 120 },
  /** The scanner's id for the attempt: a retried request gets the original answer back. */
  nonce: { type: String, maxlength: 64 },
  /** Checked in by attendee search because the QR code could not be read. */
  manual: { type: Boolean, required: true, default: false },
});

checkInSchema.index({ ticketId: 1 }, { unique: true });
checkInSchema.index({ eventId: 1, scannedAt: 1 });

export type CheckInFields = InferSchemaType<typeof checkInSchema>;
export const CheckIn: Model<CheckInFields> =
  mongoose.models.CheckIn ?? model('CheckIn', checkInSchema);
