import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';
import { EVENT_CATEGORIES, ROLES, USER_STATUSES } from '../enums.ts';

const userSchema = new Schema(
  {
    name: { type: String, required: true, trim: true, minlength: 1, maxlength: 100 },
    email: { type: String, required: true, trim: true, lowercase: true, maxlength: 254 },
    // Never leaves the database unless a query asks for it explicitly (login).
    passwordHash: { type: String, required: true, select: false },
    role: { type: String, enum: ROLES, required: true, default: 'user' },
    isPremium: { type: Boolean, required: true, default: false },
    interests: { type: [{ type: String, enum: EVENT_CATEGORIES }], default: [] },
    location: {
      city: { type: String, trim: true, maxlength: 100 },
      lat: { type: Number, min: -90, max: 90 },
      lng: { type: Number, min: -180, max: 180 },
    },
    status: { type: String, enum: USER_STATUSES, required: true, default: 'active' },
    // Part of every session token: bumping it (password change, suspension) ends all sessions at once.
    sessionVersion: { type: Number, required: true, default: 0 },
    suspension: {
      reason: { type: String, maxlength: 500 },
      by: { type: Schema.Types.ObjectId, ref: 'User' },
      at: Date,
    },
  },
  { timestamps: { createdAt: true, updatedAt: false } },
);

userSchema.index({ email: 1 }, { unique: true });
userSchema.index({ role: 1, createdAt: -1 });

export type UserFields = InferSchemaType<typeof userSchema>;
export const User: Model<UserFields> = mongoose.models.User ?? model('User', userSchema);
