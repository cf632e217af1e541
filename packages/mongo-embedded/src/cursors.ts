import { BSON, type Document, Long } from 'bson';
import { MongoCommandError } from './errors.ts';
import { MAX_BSON_OBJECT_SIZE } from './wire.ts';

const DEFAULT_FIRST_BATCH = 101;
const IDLE_TIMEOUT_MS = 10 * 60 * 1000;
/** Leaves room in a 16 MiB reply for the cursor envelope. */
const BATCH_BYTES = MAX_BSON_OBJECT_SIZE - 64 * 1024;

interface OpenCursor {
  ns: string;
  docs: Document[];
  position: number;
  lastUsed: number;
}

/**
 * Results are materialised when the cursor opens (stored documents are immutable, so this holds
 * references, not copies) and handed out in batches by getMore.
 */
export class CursorRegistry {
  private readonly open = new Map<string, OpenCursor>();
  private nextId = 1;

  firstBatch(
    ns: string,
    docs: Document[],
    batchSize: number | undefined,
    singleBatch = false,
  ): Document {
    const cursor: OpenCursor = { ns, docs, position: 0, lastUsed: Date.now() };
    const batch = this.takeBatch(cursor, batchSize ?? DEFAULT_FIRST_BATCH);
    let id = Long.ZERO;
    if (!singleBatch && cursor.position < docs.length) {
      this.evictIdle();
      const key = String(this.nextId++);
      this.open.set(key, cursor);
      id = Long.fromString(key);
    }
    return { cursor: { firstBatch: batch, id, ns }, ok: 1 };
  }

  nextBatch(id: unknown, ns: string, batchSize: number | undefined): Document {
    const key = String(id);
    const cursor = this.open.get(key);
    if (!cursor) throw new MongoCommandError('CursorNotFound', `cursor id ${key} not found`);
    if (cursor.ns !== ns) {
      throw new MongoCommandError(
        'Unauthorized',
        `cursor ${key} belongs to ${cursor.ns}, not ${ns}`,
      );
    }
    cursor.lastUsed = Date.now();
    const batch = this.takeBatch(cursor, batchSize ?? Number.POSITIVE_INFINITY);
    const exhausted = cursor.position >= cursor.docs.length;
    if (exhausted) this.open.delete(key);
    return {
      cursor: { nextBatch: batch, id: exhausted ? Long.ZERO : Long.fromString(key), ns },
      ok: 1,
    };
  }

  kill(ids: unknown[]): Document {
    const killed: Long[] = [];
    const notFound: Long[] = [];
    for (const id of ids) {
      const key = String(id);
      (this.open.delete(key) ? killed : notFound).push(Long.fromString(key));
    }
    return {
      cursorsKilled: killed,
      cursorsNotFound: notFound,
      cursorsAlive: [],
      cursorsUnknown: [],
      ok: 1,
    };
  }

  private takeBatch(cursor: OpenCursor, batchSize: number): Document[] {
    const limit = batchSize > 0 ? batchSize : DEFAULT_FIRST_BATCH;
    const batch: Document[] = [];
    let bytes = 0;
    while (cursor.position < cursor.docs.length && batch.length < limit) {
      const doc = cursor.docs[cursor.position] as Document;
      bytes += BSON.calculateObjectSize(doc);
      if (batch.length > 0 && bytes > BATCH_BYTES) break;
      batch.push(doc);
      cursor.position += 1;
    }
    return batch;
  }

  private evictIdle(): void {
    const cutoff = Date.now() - IDLE_TIMEOUT_MS;
    for (const [key, cursor] of this.open) if (cursor.lastUsed < cutoff) this.open.delete(key);
  }
}
