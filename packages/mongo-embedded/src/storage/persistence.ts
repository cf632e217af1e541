import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { BSON, type Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { unwrapIncomingNumbers } from '../numbers.ts';
import { valueKey } from '../values.ts';
import type { Catalog } from './catalog.ts';
import type { IndexSpec } from './index-definition.ts';

/**
 * One logged operation. A record, the unit of atomicity (one write, one whole transaction, one
 * `$out`), holds one or more; `replace` empties a collection and gives it new options.
 */
export type LogEntry =
  | { op: 'put'; db: string; coll: string; doc: Document }
  | { op: 'del'; db: string; coll: string; id: unknown }
  | { op: 'create'; db: string; coll: string; options: Document }
  | { op: 'replace'; db: string; coll: string; options: Document }
  | { op: 'drop'; db: string; coll: string }
  | { op: 'dropDatabase'; db: string }
  | { op: 'createIndex'; db: string; coll: string; spec: IndexSpec }
  | { op: 'dropIndex'; db: string; coll: string; name: string }
  | { op: 'end'; generation: number };

/** Compact when the log exceeds this and is more than twice the last snapshot. */
const DEFAULT_COMPACT_BYTES = 64 * 1024 * 1024;
const SNAPSHOT_RECORD_BYTES = 1024 * 1024;
/**
 * The log grows in zero-filled steps written ahead of the records: a record then overwrites
 * allocated blocks and its sync needs no file-size (journal) update. Zeros after the last record
 * are a clean end, not a torn tail.
 */
const PREALLOCATE_BYTES = process.env.SPOT_PREALLOC === "0" ? 0 : 1024 * 1024;
const RECORD_HEADER = 8;
const MAX_RECORD_BYTES = 0xffff_ffff;
const LOCK_FILE = 'mongod.lock';
/** As on the wire: numbers keep their BSON types (see unwrapIncomingNumbers). */
const DESERIALIZE_OPTIONS = { promoteValues: false, promoteBuffers: false };
const RESOLVED = Promise.resolve();
/**
 * The log is opened with O_DSYNC where the platform has it: each write returns once durable, one
 * thread-pool round trip instead of write + fdatasync. Elsewhere, fdatasync follows each write.
 */
const O_DSYNC: number | undefined = fs.constants.O_DSYNC;

function openLog(file: string, create: boolean): number {
  const { O_RDWR, O_CREAT, O_TRUNC } = fs.constants;
  return fs.openSync(file, O_RDWR | (create ? O_CREAT | O_TRUNC : 0) | (O_DSYNC ?? 0));
}

function syncLog(fd: number, done: (error: Error | null) => void): void {
  if (O_DSYNC) done(null);
  else fs.fdatasync(fd, done);
}

const logName = (generation: number) => `log-${String(generation).padStart(8, '0')}.bson`;
const snapshotName = (generation: number) => `snapshot-${String(generation).padStart(8, '0')}.bson`;
const FILE_PATTERN = /^(log|snapshot)-(\d{8})\.bson$/;

/** Commands whose replies never wait for the log: they write nothing. */
const READ_ONLY_COMMANDS = new Set([
  'hello',
  'isMaster',
  'ismaster',
  'ping',
  'buildInfo',
  'buildinfo',
  'getParameter',
  'serverStatus',
  'whatsmyuri',
  'endSessions',
  'find',
  'getMore',
  'killCursors',
  'count',
  'distinct',
  'listCollections',
  'listDatabases',
  'listIndexes',
  'abortTransaction',
]);

/**
 * Whether the reply to `body` must wait until the log is durable: any command that may write
 * (whether it did, failed, or replays a retried write's reply). Reads never wait.
 */
export function replyWaitsForLog(body: Document): boolean {
  const name = Object.keys(body)[0] ?? '';
  if (name === 'aggregate') {
    return (
      Array.isArray(body.pipeline) &&
      body.pipeline.some((stage: unknown) => !!stage && typeof stage === 'object' && '$out' in stage)
    );
  }
  return !READ_ONLY_COMMANDS.has(name);
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

function deferred(): Deferred {
  let resolve!: () => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {}); // a failed flush nobody waits for must not crash the process
  return { promise, resolve, reject };
}

/** `[u32 payload length][u32 crc32 of payload][payload: the entries as consecutive BSON documents]`. */
function encodeRecord(entries: LogEntry[]): Uint8Array[] {
  const parts = entries.map((entry) => BSON.serialize(entry));
  let length = 0;
  let crc = 0;
  for (const part of parts) {
    length += part.length;
    crc = zlib.crc32(part, crc);
  }
  if (length > MAX_RECORD_BYTES) {
    throw new MongoCommandError('TransactionTooLarge', 'write is too large for one log record');
  }
  const header = Buffer.allocUnsafe(RECORD_HEADER);
  header.writeUInt32LE(length, 0);
  header.writeUInt32LE(crc, 4);
  return [header, ...parts];
}

function decodeEntries(payload: Buffer): LogEntry[] {
  const entries: LogEntry[] = [];
  let offset = 0;
  while (offset < payload.length) {
    const size = offset + 4 <= payload.length ? payload.readInt32LE(offset) : -1;
    if (size < 5 || offset + size > payload.length) throw new Error('invalid BSON length');
    const entry = BSON.deserialize(payload.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
    entries.push(unwrapIncomingNumbers(entry) as LogEntry);
    offset += size;
  }
  return entries;
}

function readFully(fd: number, buffer: Buffer, position: number): number {
  let read = 0;
  while (read < buffer.length) {
    const n = fs.readSync(fd, buffer, read, buffer.length - read, position + read);
    if (n === 0) break;
    read += n;
  }
  return read;
}

function writeFullySync(fd: number, buffer: Buffer, position: number): void {
  let written = 0;
  while (written < buffer.length) {
    written += fs.writeSync(fd, buffer, written, buffer.length - written, position + written);
  }
}

function writeFully(
  fd: number,
  buffer: Buffer,
  position: number,
  done: (error: Error | null) => void,
): void {
  fs.write(fd, buffer, 0, buffer.length, position, (error, written) => {
    if (error) return done(error);
    if (written === buffer.length) return done(null);
    writeFully(fd, buffer.subarray(written), position + written, done);
  });
}

function fsyncDirectory(dir: string): void {
  const fd = fs.openSync(dir, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function onlyZerosFrom(fd: number, offset: number, size: number): boolean {
  const buffer = Buffer.alloc(Math.min(PREALLOCATE_BYTES, size - offset));
  for (let position = offset; position < size; position += buffer.length) {
    const read = readFully(fd, buffer, position);
    for (let i = 0; i < read; i++) if (buffer[i] !== 0) return false;
    if (read < buffer.length) break;
  }
  return true;
}

/**
 * Reads the records of a log or snapshot file in order. Stops at the first record that is cut
 * short or fails its checksum and reports its offset (unless only zeros follow, the preallocated
 * end of a log); returns the offset after the last good record.
 */
function readRecords(
  fd: number,
  onRecord: (entries: LogEntry[], offset: number) => void,
): { end: number; size: number; problem?: string } {
  const size = fs.fstatSync(fd).size;
  const header = Buffer.alloc(RECORD_HEADER);
  let offset = 0;
  const stop = (problem: string) =>
    onlyZerosFrom(fd, offset, size) ? { end: offset, size } : { end: offset, size, problem };
  while (offset < size) {
    if (readFully(fd, header, offset) < RECORD_HEADER) return stop('a record header cut short');
    const length = header.readUInt32LE(0);
    if (length < 5) return stop(`an invalid record length (${length})`);
    if (offset + RECORD_HEADER + length > size) return stop('a record cut short');
    const payload = Buffer.allocUnsafe(length);
    if (readFully(fd, payload, offset + RECORD_HEADER) < length) return stop('a record cut short');
    if (zlib.crc32(payload) !== header.readUInt32LE(4)) return stop('a checksum mismatch');
    let entries: LogEntry[];
    try {
      entries = decodeEntries(payload);
    } catch (error) {
      return stop(`an unreadable record (${(error as Error).message})`);
    }
    onRecord(entries, offset);
    offset += RECORD_HEADER + length;
  }
  return { end: offset, size };
}

function collectionOf(catalog: Catalog, entry: { db: string; coll: string }) {
  const collection = catalog.get(entry.db, entry.coll);
  if (!collection) throw new Error(`entry for missing collection ${entry.db}.${entry.coll}`);
  return collection;
}

/** Replays one entry into a catalog that is not logging. */
function applyEntry(catalog: Catalog, entry: LogEntry): void {
  switch (entry.op) {
    case 'put': {
      const collection = catalog.getOrCreate(entry.db, entry.coll);
      const id = valueKey(entry.doc._id);
      catalog.commit([{ collection, id, before: collection.docs.get(id), after: entry.doc }]);
      return;
    }
    case 'del': {
      const collection = collectionOf(catalog, entry);
      const id = valueKey(entry.id);
      const before = collection.docs.get(id);
      if (before) catalog.commit([{ collection, id, before, after: undefined }]);
      return;
    }
    case 'create':
      catalog.create(entry.db, entry.coll, entry.options);
      return;
    case 'replace':
      catalog.drop(entry.db, entry.coll);
      catalog.create(entry.db, entry.coll, entry.options);
      return;
    case 'drop':
      catalog.drop(entry.db, entry.coll);
      return;
    case 'dropDatabase':
      catalog.dropDatabase(entry.db);
      return;
    case 'createIndex':
      catalog.addIndex(collectionOf(catalog, entry), entry.spec);
      return;
    case 'dropIndex':
      catalog.dropIndex(collectionOf(catalog, entry), entry.name);
      return;
    case 'end':
      return;
    default:
      throw new Error(`unknown log entry ${JSON.stringify((entry as { op?: unknown }).op)}`);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** `mongod.lock` holding our pid; a lock whose process is gone is taken over. */
function acquireLock(dir: string): string {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${process.pid}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    try {
      holder = Number.parseInt(fs.readFileSync(file, 'utf8'), 10);
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder)) {
      throw new Error(
        `spot-mongo: the data directory ${dir} is in use by process ${holder} (lock file ${file}); ` +
          'stop that process or choose another dbPath',
      );
    }
    console.warn(
      `spot-mongo: taking over the stale lock ${file} (process ${Number.isNaN(holder) ? '?' : holder} is gone)`,
    );
    fs.rmSync(file, { force: true });
  }
  throw new Error(`spot-mongo: cannot take the lock ${file}`);
}

export interface PersistenceOptions {
  /** Log size that triggers compaction (default 64 MiB; env SPOT_MONGO_COMPACT_BYTES). */
  compactBytes?: number;
}

/**
 * Durability for a catalog: an append-only log of records, each a group of entries applied
 * atomically, plus periodic snapshots. Files in the data directory:
 * `snapshot-G.bson` (the whole catalog, ending with an `end` record) and `log-G.bson` (records
 * after that snapshot; G = 0 has no snapshot). Records appended during one event-loop turn are
 * written and fdatasync'ed together (group commit); `flushed()` resolves once they are durable.
 */
export class Persistence {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Settles when the records in `pending` are durable. */
  private pendingBatch: Deferred | undefined;
  /** The batch being written and synced, if any. */
  private inFlight: Deferred | undefined;
  private flushScheduled = false;
  private failure: Error | undefined;
  private catalog: Catalog | undefined;
  private closed = false;

  private constructor(
    readonly dir: string,
    private readonly lockFile: string,
    private generation: number,
    private fd: number,
    /** Bytes of records in the log; the file is `allocated` long, zeros after the records. */
    private logSize: number,
    private snapshotSize: number,
  ) {}

  private allocated = 0;
  private compactBytes = DEFAULT_COMPACT_BYTES;

  /**
   * Locks `dir` (creating it), loads the latest snapshot and replays the log after it into
   * `catalog`, which must be empty and not yet logging. A torn tail is cut off with a warning.
   */
  static open(dir: string, catalog: Catalog, options: PersistenceOptions = {}): Persistence {
    const compactBytes =
      options.compactBytes ?? (Number(process.env.SPOT_MONGO_COMPACT_BYTES) || DEFAULT_COMPACT_BYTES);
    fs.mkdirSync(dir, { recursive: true });
    const lockFile = acquireLock(dir);
    try {
      const files = fs.readdirSync(dir);
      const snapshots: number[] = [];
      const logs: number[] = [];
      for (const name of files) {
        if (name.endsWith('.tmp')) fs.rmSync(path.join(dir, name), { force: true });
        const match = FILE_PATTERN.exec(name);
        if (match) (match[1] === 'log' ? logs : snapshots).push(Number(match[2]));
      }
      const generation = Math.max(0, ...snapshots);
      let snapshotSize = 0;
      if (snapshots.includes(generation)) {
        snapshotSize = Persistence.loadSnapshot(path.join(dir, snapshotName(generation)), catalog, generation);
      }
      // Files older than the snapshot are already folded into it (a compaction died before removing them).
      for (const old of snapshots.filter((g) => g < generation)) {
        fs.rmSync(path.join(dir, snapshotName(old)), { force: true });
      }
      for (const old of logs.filter((g) => g < generation)) {
        fs.rmSync(path.join(dir, logName(old)), { force: true });
      }
      for (const newer of logs.filter((g) => g > generation)) {
        console.warn(`spot-mongo: ignoring ${path.join(dir, logName(newer))}: it has no snapshot`);
      }
      const logFile = path.join(dir, logName(generation));
      let fd: number;
      let logSize = 0;
      let allocated = 0;
      if (logs.includes(generation)) {
        fd = openLog(logFile, false);
        ({ end: logSize, allocated } = Persistence.replayLog(logFile, fd, catalog));
      } else {
        fd = openLog(logFile, true);
        fs.fsyncSync(fd);
        fsyncDirectory(dir);
      }
      const persistence = new Persistence(dir, lockFile, generation, fd, logSize, snapshotSize);
      persistence.allocated = allocated;
      persistence.compactBytes = compactBytes;
      return persistence;
    } catch (error) {
      fs.rmSync(lockFile, { force: true });
      throw error;
    }
  }

  private static loadSnapshot(file: string, catalog: Catalog, generation: number): number {
    const fd = fs.openSync(file, 'r');
    try {
      let complete = false;
      const { end, problem } = readRecords(fd, (entries) => {
        if (complete) throw new Error(`${file}: data after the end record`);
        for (const entry of entries) {
          if (entry.op === 'end') {
            if (entry.generation !== generation) throw new Error(`${file}: wrong generation`);
            complete = true;
          } else {
            applyEntry(catalog, entry);
          }
        }
      });
      if (problem || !complete) {
        throw new Error(
          `spot-mongo: the snapshot ${file} is corrupt (${problem ?? 'no end record'} at offset ${end}). ` +
            'Snapshots are written atomically, so this is not an interrupted write: restore the ' +
            'data directory from a backup, or move it away to start empty.',
        );
      }
      return end;
    } finally {
      fs.closeSync(fd);
    }
  }

  /**
   * Replays a log, truncating a torn or corrupt tail; returns the size of the good part and of
   * the file (larger by its preallocated zeros).
   */
  private static replayLog(
    file: string,
    fd: number,
    catalog: Catalog,
  ): { end: number; allocated: number } {
    const { end, size, problem } = readRecords(fd, (entries, offset) => {
      try {
        for (const entry of entries) applyEntry(catalog, entry);
      } catch (error) {
        throw new Error(
          `spot-mongo: cannot replay ${file} at offset ${offset}: ${(error as Error).message}`,
        );
      }
    });
    if (problem) {
      console.warn(
        `spot-mongo: ${file}: ${problem} at offset ${end}; dropping the last ${size - end} bytes ` +
          '(a write cut off by a crash, never acknowledged)',
      );
      fs.ftruncateSync(fd, end);
      fs.fsyncSync(fd);
      return { end, allocated: end };
    }
    return { end, allocated: size };
  }

  /** Starts logging the catalog's changes (the catalog calls `append`). */
  attach(catalog: Catalog): void {
    this.catalog = catalog;
    catalog.persistence = this;
  }

  /**
   * Queues one atomic record; it reaches the disk with the other records of this event-loop
   * turn. Throws (and the caller must not apply the change) once the log has failed.
   */
  append(entries: LogEntry[]): void {
    if (this.failure) {
      throw new MongoCommandError(
        'IllegalOperation',
        `writes are disabled: the log could not be written (${this.failure.message})`,
      );
    }
    const buffers = encodeRecord(entries);
    for (const buffer of buffers) {
      this.pending.push(buffer);
      this.pendingBytes += buffer.length;
    }
    this.pendingBatch ??= deferred();
    if (!this.flushScheduled && !this.inFlight) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** True when no appended record is still waiting for the disk. */
  get idle(): boolean {
    return !this.pendingBatch && !this.inFlight;
  }

  /** Resolves once every record appended so far is durable; rejects if the log failed. */
  flushed(): Promise<void> {
    if (this.pendingBatch) return this.pendingBatch.promise;
    if (this.inFlight) return this.inFlight.promise;
    return RESOLVED;
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    const batch = this.pendingBatch;
    if (this.inFlight || !batch) return;
    const recordBytes = this.pendingBytes;
    // Past the allocated end, the same write also zero-fills the next step.
    const grow = this.logSize + recordBytes > this.allocated;
    if (grow) this.pending.push(Buffer.alloc(PREALLOCATE_BYTES));
    const data = Buffer.concat(this.pending, recordBytes + (grow ? PREALLOCATE_BYTES : 0));
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingBatch = undefined;
    this.inFlight = batch;
    const fd = this.fd;
    writeFully(fd, data, this.logSize, (writeError) => {
      if (writeError) return this.fail(writeError);
      syncLog(fd, (syncError) => {
        if (syncError) return this.fail(syncError);
        this.logSize += recordBytes;
        if (grow) this.allocated = this.logSize + PREALLOCATE_BYTES;
        this.inFlight = undefined;
        batch.resolve();
        this.maybeCompact();
        // Records that arrived during this flush form the next group.
        if (this.pendingBatch) this.flush();
      });
    });
  };

  private fail(error: Error): void {
    this.failure = error;
    console.error(
      `spot-mongo: cannot write ${path.join(this.dir, logName(this.generation))}: ${error.message}; ` +
        'further writes are refused',
    );
    this.inFlight?.reject(error);
    this.inFlight = undefined;
    this.pendingBatch?.reject(error);
    this.pendingBatch = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private maybeCompact(): void {
    if (this.closed || !this.catalog) return;
    if (this.logSize < this.compactBytes || this.logSize <= 2 * this.snapshotSize) return;
    try {
      this.compact(this.catalog);
    } catch (error) {
      console.warn(`spot-mongo: compaction failed, still appending to the log: ${(error as Error).message}`);
    }
  }

  /**
   * Writes the whole catalog as snapshot G+1 (temp file, fdatasync, rename, directory fsync), then
   * starts log G+1 and removes generation G. A crash at any point leaves either generation G
   * complete or snapshot G+1 complete; start-up picks the newest snapshot and ignores older logs.
   * Runs synchronously between two flushes: records queued meanwhile are already in memory, so
   * the snapshot covers them and they need no log write.
   */
  compact(catalog: Catalog): void {
    const next = this.generation + 1;
    const tmp = path.join(this.dir, `${snapshotName(next)}.tmp`);
    const fd = fs.openSync(tmp, 'w');
    let size = 0;
    try {
      let chunk: Uint8Array[] = [];
      let chunkBytes = 0;
      const writeChunk = () => {
        writeFullySync(fd, Buffer.concat(chunk, chunkBytes), size);
        size += chunkBytes;
        chunk = [];
        chunkBytes = 0;
      };
      let record: LogEntry[] = [];
      let recordBytes = 0;
      const endRecord = () => {
        if (record.length === 0) return;
        for (const buffer of encodeRecord(record)) {
          chunk.push(buffer);
          chunkBytes += buffer.length;
        }
        record = [];
        recordBytes = 0;
        if (chunkBytes >= 4 * SNAPSHOT_RECORD_BYTES) writeChunk();
      };
      for (const db of catalog.databaseNames()) {
        for (const collection of catalog.collections(db)) {
          const coll = collection.name;
          endRecord();
          record.push({ op: 'create', db, coll, options: collection.options });
          for (const index of collection.indexes.values()) {
            record.push({ op: 'createIndex', db, coll, spec: index.spec });
          }
          for (const doc of collection.docs.values()) {
            record.push({ op: 'put', db, coll, doc });
            recordBytes += BSON.calculateObjectSize(doc);
            if (recordBytes >= SNAPSHOT_RECORD_BYTES) endRecord();
          }
        }
      }
      endRecord();
      record.push({ op: 'end', generation: next });
      endRecord();
      writeChunk();
      fs.fdatasyncSync(fd);
    } catch (error) {
      fs.closeSync(fd);
      fs.rmSync(tmp, { force: true });
      throw error;
    }
    fs.closeSync(fd);
    fs.renameSync(tmp, path.join(this.dir, snapshotName(next)));
    fsyncDirectory(this.dir);
    // From here on, snapshot `next` is the truth; the old files are obsolete.
    const logFd = openLog(path.join(this.dir, logName(next)), true);
    fs.fsyncSync(logFd);
    fsyncDirectory(this.dir);
    fs.closeSync(this.fd);
    const previous = this.generation;
    this.fd = logFd;
    this.generation = next;
    this.logSize = 0;
    this.allocated = 0;
    this.snapshotSize = size;
    fs.rmSync(path.join(this.dir, logName(previous)), { force: true });
    fs.rmSync(path.join(this.dir, snapshotName(previous)), { force: true });
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingBatch?.resolve();
    this.pendingBatch = undefined;
  }

  /** Waits for queued records, stops logging, closes the log and releases the lock. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.catalog?.persistence === this) this.catalog.persistence = undefined;
    await this.flushed().catch(() => {});
    fs.closeSync(this.fd);
    try {
      if (Number.parseInt(fs.readFileSync(this.lockFile, 'utf8'), 10) === process.pid) {
        fs.rmSync(this.lockFile, { force: true });
      }
    } catch {
      // already gone
    }
  }
}
