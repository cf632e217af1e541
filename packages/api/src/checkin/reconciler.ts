import { Ticket } from '@spot/db';

/** A scan still between its two writes is left alone for this long. */
const IN_FLIGHT_GRACE_MS = 60_000;
/** Only recent check-ins can be half-written; older history is not re-read on every run. */
const LOOK_BACK_MS = 7 * 24 * 60 * 60 * 1000;

/**
 * Heals tickets marked used without a CheckIn (a process died between the two writes where
 * transactions are unavailable): they return to valid, since nobody has a record of admitting
 * that attendee and the next scan will. Answers how many were healed.
 */
export async function reconcileCheckIns(now = new Date()): Promise<number> {
  const orphans = await Ticket.aggregate<{ _id: unknown }>([
    {
      $match: {
        status: 'used',
        checkedInAt: {
          $gte: new Date(now.getTime() - LOOK_BACK_MS),
          $lt: new Date(now.getTime() - IN_FLIGHT_GRACE_MS),
        },
      },
    },
    { $lookup: { from: 'checkins', localField: '_id', foreignField: 'ticketId', as: 'checkIns' } },
    { $match: { checkIns: { $size: 0 } } },
    { $project: { _id: 1 } },
  ]);
  if (orphans.length === 0) return 0;
  const healed = await Ticket.updateMany(
    { _id: { $in: orphans.map((orphan) => orphan._id) }, status: 'used' },
    { $set: { status: 'valid' }, $unset: { checkedInAt: 1 } },
  );
  return healed.modifiedCount;
}
