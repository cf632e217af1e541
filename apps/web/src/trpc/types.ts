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
