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
  'setParameter',
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
      body.pipeline.some(
        (stage: unknown) =>
          !!stage && typeof stage === 'object' && ('$out' in stage || '$merge' in stage),
      )
    );
  }
  return !READ_ONLY_COMMANDS.has(name);
}

interface Deferred {
  promise: Promise<void>;
  resolve(): void;
  reject(error: Error): void;
}

/** Records handed to the OS in one write; `end` is the log offset after them. */
interface Batch {
  done: Deferred;
  end: number;
  durable: boolean;
}

/**
 * Batches written concurrently. Each is acknowledged only once every batch before it is durable
 * too, since start-up reads the log up to its first incomplete record; meanwhile the next group
 * already travels to the disk instead of waiting a full round trip.
 */
const MAX_BATCHES_IN_FLIGHT = 2;

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

/** Makes created, renamed and removed directory entries durable (a no-op where unsupported). */
function fsyncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL') throw error;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Reads the records of a log or snapshot file in order. Stops at the first record that is cut
 * short or fails its checksum and reports its offset; returns the offset after the last good one.
 */
function readRecords(
  fd: number,
  onRecord: (entries: LogEntry[], offset: number) => void,
): { end: number; problem?: string } {
  const size = fs.fstatSync(fd).size;
  const header = Buffer.alloc(RECORD_HEADER);
  let offset = 0;
  const stop = (problem: string) => ({ end: offset, problem });
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
  return { end: offset };
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

/** Start time of a process (Linux /proc), so that a recycled pid is not taken for the holder. */
function startTimeOf(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19];
  } catch {
    return undefined;
  }
}

function isAlive(pid: number, startTime: string | undefined): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const current = startTimeOf(pid);
  return !startTime || !current || current === startTime;
}

/** `mongod.lock` holding our pid (and start time); a lock whose process is gone is taken over. */
function acquireLock(dir: string): string {
  const file = path.join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = fs.openSync(file, 'wx');
      try {
        fs.writeSync(fd, `${process.pid} ${startTimeOf(process.pid) ?? ''}\n`);
      } finally {
        fs.closeSync(fd);
      }
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    let holder = Number.NaN;
    let startTime: string | undefined;
    try {
      const [pid, start] = fs.readFileSync(file, 'utf8').trim().split(' ');
      holder = Number.parseInt(pid ?? '', 10);
      startTime = start || undefined;
    } catch {
      continue; // removed meanwhile: try again
    }
    if (Number.isInteger(holder) && holder > 0 && isAlive(holder, startTime)) {
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
 * written and synced together (group commit); `flushed()` resolves once they are durable.
 */
export class Persistence {
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Settles when the records in `pending` are durable. */
  private pendingBatch: Deferred | undefined;
  /** Batches being written, in log order. */
  private readonly inFlight: Batch[] = [];
  private flushScheduled = false;
  private failure: Error | undefined;
  private catalog: Catalog | undefined;
  private closed = false;
  /** Where the next batch goes (the log size once all batches in flight are durable). */
  private writeOffset: number;
  /** Log size at which to compact. */
  private compactAt: number;

  private constructor(
    readonly dir: string,
    private readonly lockFile: string,
    private readonly compactBytes: number,
    private generation: number,
    private fd: number,
    logSize: number,
    snapshotSize: number,
  ) {
    this.writeOffset = logSize;
    this.compactAt = this.compactionThreshold(snapshotSize);
  }

  /** The log must exceed `compactBytes` and twice the snapshot. */
  private compactionThreshold(snapshotSize: number): number {
    return Math.max(this.compactBytes, 2 * snapshotSize + 1);
  }

  /**
   * Locks `dir` (creating it), loads the latest snapshot and replays the log after it into
   * `catalog`, which must be empty and not yet logging. A torn tail is cut off with a warning.
   */
  static open(dir: string, catalog: Catalog, options: PersistenceOptions = {}): Persistence {
    const compactBytes =
      options.compactBytes ??
      (Number(process.env.SPOT_MONGO_COMPACT_BYTES) || DEFAULT_COMPACT_BYTES);
    const created = fs.mkdirSync(dir, { recursive: true });
    if (created) {
      // The new directories' own entries must survive a crash too.
      for (let d = path.resolve(dir); ; d = path.dirname(d)) {
        fsyncDirectory(path.dirname(d));
        if (d === path.resolve(created)) break;
      }
    }
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
        snapshotSize = Persistence.loadSnapshot(
          path.join(dir, snapshotName(generation)),
          catalog,
          generation,
        );
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
      if (logs.includes(generation)) {
        fd = openLog(logFile, false);
        logSize = Persistence.replayLog(logFile, fd, catalog);
      } else {
        fd = openLog(logFile, true);
        fs.fsyncSync(fd);
        fsyncDirectory(dir);
      }
      return new Persistence(dir, lockFile, compactBytes, generation, fd, logSize, snapshotSize);
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

  /** Replays a log, truncating a torn or corrupt tail; returns the size of the good part. */
  private static replayLog(file: string, fd: number, catalog: Catalog): number {
    const size = fs.fstatSync(fd).size;
    const { end, problem } = readRecords(fd, (entries, offset) => {
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
    }
    return end;
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
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(this.flush);
    }
  }

  /** True when no appended record is still waiting for the disk. */
  get idle(): boolean {
    return !this.pendingBatch && this.inFlight.length === 0;
  }

  /** Resolves once every record appended so far is durable; rejects if the log failed. */
  flushed(): Promise<void> {
    return this.pendingBatch?.promise ?? this.inFlight.at(-1)?.done.promise ?? RESOLVED;
  }

  private readonly flush = (): void => {
    this.flushScheduled = false;
    this.pump();
  };

  /** Starts the next write if there is something to write and room for it; compacts when due. */
  private pump(): void {
    if (this.failure) return;
    if (this.catalog && !this.closed && this.writeOffset >= this.compactAt) {
      // Compaction needs a quiet log: let the writes in flight finish (they call pump again).
      if (this.inFlight.length > 0) return;
      this.compactNow(this.catalog);
    }
    if (this.pendingBatch && this.inFlight.length < MAX_BATCHES_IN_FLIGHT) this.writeBatch();
  }

  private writeBatch(): void {
    const data = Buffer.concat(this.pending, this.pendingBytes);
    const position = this.writeOffset;
    this.writeOffset += data.length;
    const batch: Batch = {
      done: this.pendingBatch as Deferred,
      end: this.writeOffset,
      durable: false,
    };
    this.inFlight.push(batch);
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingBatch = undefined;
    const fd = this.fd;
    writeFully(fd, data, position, (writeError) => {
      if (writeError) return this.fail(writeError);
      syncLog(fd, (syncError) => {
        if (syncError) return this.fail(syncError);
        if (this.failure) return;
        batch.durable = true;
        while (this.inFlight[0]?.durable) (this.inFlight.shift() as Batch).done.resolve();
        // Records that arrived meanwhile form the next group.
        this.pump();
      });
    });
  }

  private fail(error: Error): void {
    if (this.failure) return;
    this.failure = error;
    console.error(
      `spot-mongo: cannot write ${path.join(this.dir, logName(this.generation))}: ${error.message}; ` +
        'further writes are refused',
    );
    for (const batch of this.inFlight.splice(0)) batch.done.reject(error);
    this.pendingBatch?.reject(error);
    this.pendingBatch = undefined;
    this.pending = [];
    this.pendingBytes = 0;
  }

  private compactNow(catalog: Catalog): void {
    try {
      this.compact(catalog);
    } catch (error) {
      this.compactAt = this.writeOffset + this.compactBytes;
      console.warn(
        `spot-mongo: compaction failed, still appending to the log: ${(error as Error).message}`,
      );
    }
  }

  /**
   * Writes the whole catalog as snapshot G+1 (temp file, fdatasync, rename, directory fsync), then
   * starts log G+1 and removes generation G. A crash at any point leaves either generation G
   * complete or snapshot G+1 complete; start-up picks the newest snapshot and ignores older logs.
   * Runs synchronously while no batch is in flight: records queued meanwhile are already in
   * memory, so the snapshot covers them and they need no log write.
   */
  private compact(catalog: Catalog): void {
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
    // From here on, snapshot `next` is the truth and log `previous` is ignored at start-up, so
    // appending to it would lose writes: a failure now stops writes instead.
    try {
      fsyncDirectory(this.dir);
      const logFd = openLog(path.join(this.dir, logName(next)), true);
      fs.fsyncSync(logFd);
      fsyncDirectory(this.dir);
      fs.closeSync(this.fd);
      const previous = this.generation;
      this.fd = logFd;
      this.generation = next;
      this.writeOffset = 0;
      this.compactAt = this.compactionThreshold(size);
      fs.rmSync(path.join(this.dir, logName(previous)), { force: true });
      fs.rmSync(path.join(this.dir, snapshotName(previous)), { force: true });
    } catch (error) {
      this.fail(error as Error);
      return;
    }
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
