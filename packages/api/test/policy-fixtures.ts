import { Types } from 'mongoose';
import { uniqueEmail } from './harness.ts';

/** A valid and an invalid input of one procedure, and the fields the invalid one gets wrong. */
export interface Samples {
  valid: unknown;
  invalid: unknown;
  invalidFields: string[];
}

/** Each domain's part of the access-policy test: its samples and its owner-scoped procedures. */
export interface DomainPolicy {
  samples: Record<string, Samples>;
  /** Procedures on one organizer's event: any other organizer is answered NOT_FOUND. */
  ownerScoped: string[];
}

/** An account that exists (a user), for procedures that look one up by email. */
export const LOGIN = { email: uniqueEmail('matrix-login'), password: 'the right password' };

/** Events of `organizer` (drafts, so no view is counted in the background); one per destructive procedure. */
export const OWNED = {
  event: new Types.ObjectId(),
  toPublish: new Types.ObjectId(),
  toDelete: new Types.ObjectId(),
  toCancel: new Types.ObjectId(),
};
export const idOf = (event: Types.ObjectId) => ({ id: event.toHexString() });

export const NOT_AN_ID = { id: 'not-an-id' };
/** A well-formed id of nothing: owner-scoped reads answer NOT_FOUND to everyone. */
export const UNKNOWN_ID = new Types.ObjectId().toHexString();
