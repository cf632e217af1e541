import { createHmac, timingSafeEqual } from 'node:crypto';
import { getConfig } from '@spot/config';
import { type Model, Types } from 'mongoose';
import { z } from 'zod';
import { fieldErrors } from './field-error.ts';

/** Where a page ended: the sort key of its last item (a number: epoch ms or meters) and its id. */
export interface CursorPosition {
  key: number;
  id: Types.ObjectId;
}

const payloadSchema = z.object({
  k: z.number().refine(Number.isFinite),
  id: z.string().regex(/^[0-9a-f]{24}$/),
});

function signature(payload: string, scope: string): string {
  const key = createHmac('sha256', getConfig().JWT_SECRET).update('page-cursor').digest();
  return createHmac('sha256', key).update(`${scope}\u0000${payload}`).digest('base64url');
}

/**
 * Opaque and signed, bound to the query it came from (`scope`: the sort and the filters), so a
 * client can only hand back a position we issued for that same query.
 */
function encodeCursor(position: CursorPosition, scope: string): string {
  const payload = Buffer.from(
    JSON.stringify({ k: position.key, id: position.id.toHexString() }),
  ).toString('base64url');
  return `${payload}.${signature(payload, scope)}`;
}

/** The position in `cursor`; BAD_REQUEST naming `cursor` when it was altered or belongs elsewhere. */
export function decodeCursor(cursor: string, scope: string): CursorPosition {
  const [payload = '', signed = ''] = cursor.split('.');
  const expected = Buffer.from(signature(payload, scope));
  const given = Buffer.from(signed);
  const parsed =
    given.length === expected.length && timingSafeEqual(given, expected)
      ? payloadSchema.safeParse(parseJson(Buffer.from(payload, 'base64url').toString()))
      : undefined;
  if (!parsed?.success) {
    throw fieldErrors([
      { field: 'cursor', message: 'This page link is not valid for these filters; start again.' },
    ]);
  }
  return { key: parsed.data.k, id: new Types.ObjectId(parsed.data.id) };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/**
 * Items strictly after `position` in (field, _id) order, ascending or descending. `bound` narrows
 * the field itself so an index on it can seek to the position; `after` breaks ties on `_id`.
 */
export function afterPosition<Key>(
  field: string,
  key: Key,
  id: Types.ObjectId,
  direction: 1 | -1,
): { bound: Record<string, Key>; after: Record<string, unknown> } {
  const beyond = direction === 1 ? '$gt' : '$lt';
  return {
    bound: { [direction === 1 ? '$gte' : '$lte']: key },
    after: { $or: [{ [field]: { [beyond]: key } }, { [field]: key, _id: { [beyond]: id } }] },
  };
}

/**
 * One page out of `limit + 1` fetched rows: the extra row only tells that more follow, and the
 * cursor points after the page's last row.
 */
export function pageOf<Row>(
  rows: Row[],
  limit: number,
  scope: string,
  positionOf: (row: Row) => CursorPosition,
): { rows: Row[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    rows: page,
    nextCursor: rows.length > limit && last ? encodeCursor(positionOf(last), scope) : null,
  };
}

export interface PageRequest {
  cursor?: string;
  limit: number;
}

/**
 * One page of `model`'s documents matching `filter`, newest first by the date `field` (ties by
 * `_id`), after the position the cursor names. `scope` names the query (and its filters), so a
 * cursor only works for the query it came from.
 */
export async function newestFirst<Fields>(
  model: Model<Fields>,
  filter: Record<string, unknown>,
  page: PageRequest,
  scope: string,
  field = 'createdAt',
) {
  const query: Record<string, unknown> = { ...filter };
  if (page.cursor) {
    const { key, id } = decodeCursor(page.cursor, scope);
    const { bound, after } = afterPosition(field, new Date(key), id, -1);
    query[field] = bound;
    query.$and = [...((filter.$and as unknown[] | undefined) ?? []), after];
  }
  const rows = await model
    .find(query)
    .sort({ [field]: -1, _id: -1 })
    .limit(page.limit + 1)
    .lean();
  return pageOf(rows, page.limit, scope, (row) => ({
    key: ((row as Record<string, unknown>)[field] as Date).getTime(),
    id: row._id as Types.ObjectId,
  }));
}
