/** What the payments domain needs to refund the attendees of a cancelled event. */
export interface EventCancellation {
  eventId: string;
  cancelledAt: Date;
  /** Recorded with each refund: `event_cancelled` (by its organizer) unless said otherwise. */
  refundReason?: 'event_cancelled' | 'event_removed';
}

export type RefundHandler = (cancellation: EventCancellation) => Promise<void>;

const refundHandlers: RefundHandler[] = [];

/**
 * Where payments plugs in its refunds. Until payments exist no ticket has been paid for, so none
 * is registered and cancelling refunds nothing. A handler must be idempotent per event: `cancel`
 * runs it on every call, so calling `cancel` again retries refunds that failed.
 */
export function onEventCancelled(handler: RefundHandler): void {
  refundHandlers.push(handler);
}

export async function refundCancelledTickets(cancellation: EventCancellation): Promise<void> {
  for (const handler of refundHandlers) await handler(cancellation);
}
