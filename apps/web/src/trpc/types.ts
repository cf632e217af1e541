import type { AppRouter } from '@spot/api';
import type { inferRouterInputs, inferRouterOutputs } from '@trpc/server';

export type RouterInputs = inferRouterInputs<AppRouter>;
export type RouterOutputs = inferRouterOutputs<AppRouter>;

/** One event in an Explore list. */
export type ExploreItem = RouterOutputs['explore']['list']['items'][number];
export type ExplorePage = RouterOutputs['explore']['list'];
/** What `explore.list` accepts (filters and paging). */
export type ExploreInput = NonNullable<RouterInputs['explore']['list']>;
export type EventPage = RouterOutputs['explore']['get'];
export type OrganizerEvent = RouterOutputs['events']['get'];
export type Category = ExploreItem['category'];
export type EventStatus = ExploreItem['status'];
export type HoldView = RouterOutputs['tickets']['holdStatus'];
export type TicketItem = RouterOutputs['tickets']['mine']['items'][number];
export type TicketDetail = RouterOutputs['tickets']['get'];
export type BillingStatus = RouterOutputs['billing']['status'];
export type ReportReason = RouterInputs['moderation']['reportEvent']['reason'];
export type DisputeReason = RouterInputs['moderation']['openDispute']['reason'];
/** A ticket holder's dispute, with the admin's outcome once resolved. */
export type DisputeView = RouterOutputs['moderation']['myDisputes']['items'][number];
export type DisputeOutcome = NonNullable<DisputeView['resolution']>['outcome'];
/** The object form of an optional input (tRPC types those as `{…} | undefined`, with `void`). */
export type InputObject<T> = T extends object ? T : never;
