import mongoose, { type InferSchemaType, type Model, model, Schema } from 'mongoose';

/** Written by every admin action and every role change; never updated or deleted. */
const auditLogSchema = new Schema({
  actor: { type: Schema.Types.ObjectId, ref: 'User', required: true },
  action: { type: String, required: true, maxlength: 100 },
  target: {
    kind: { type: String, required: true, maxlength: 50 },
    id: { type: String, required: true, maxlength: 100 },
  },
  details: { type: Schema.Types.Mixed },
  at: { type: Date, required: true, default: () => new Date() },
});

auditLogSchema.index({ at: -1 });
auditLogSchema.index({ actor: 1, at: -1 });
auditLogSchema.index({ 'target.kind': 1, 'target.id': 1, at: -1 });

export type AuditLogFields = InferSchemaType<typeof auditLogSchema>;
export const AuditLog: Model<AuditLogFields> =
  mongoose.models.AuditLog ?? model('AuditLog', auditLogSchema);
