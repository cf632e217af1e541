import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { geoKeyError } from '../geo.ts';
import { compileFilter, type Matcher } from '../query.ts';
import { compareValues } from '../sorting.ts';
import { type Doc, firstValueAtPath, valueKey, valuesAtPath } from '../values.ts';
import { GeoCells } from './geo-cells.ts';
import { type IndexEntry, SortedEntries } from './sorted-entries.ts';

export interface IndexSpec extends Document {
  v: number;
  name: string;
  key: Document;
  unique?: boolean;
  sparse?: boolean;
  partialFilterExpression?: Document;
  expireAfterSeconds?: number;
}

/** Options that must match for createIndexes to treat a request as "already exists". */
const IDENTITY_OPTIONS = [
  'unique',
  'sparse',
  'partialFilterExpression',
  'expireAfterSeconds',
] as const;

export function defaultIndexName(key: Document): string {
  return Object.entries(key)
    .map(([field, direction]) => `${field}_${direction}`)
    .join('_');
}

/**
 * One secondary index: its spec, an exact-key map from canonical key to document ids (unique
 * enforcement and equality lookups in O(1)), and for ascending/descending keys the entries in
 * key order (ranges and sorts in O(log n)).
 */
export class IndexDefinition {
  readonly spec: IndexSpec;
  readonly fields: string[];
  /** Per field: 1 or -1, or 0 for special types (2dsphere, text, hashed) that have no order. */
  readonly directions: number[];
  readonly ordered: SortedEntries | undefined;
  /** For a 2dsphere index: points by grid cell, to read only the cells a query circle touches. */
  readonly geoCells: GeoCells | undefined;
  readonly geoField: string | undefined;
  /** Set once a document indexes an array: the index can then no longer provide a sort. */
  multikey = false;
  private readonly entries = new Map<string, Set<string>>();
  private readonly partialMatcher: Matcher | undefined;

  constructor(spec: IndexSpec) {
    this.spec = spec;
    this.fields = Object.keys(spec.key);
    if (this.fields.length === 0) {
      throw new MongoCommandError('BadValue', 'Index keys cannot be an empty object.');
    }
    this.partialMatcher = spec.partialFilterExpression
      ? compileFilter(spec.partialFilterExpression)
      : undefined;
    this.directions = this.fields.map((field) => {
      const direction = spec.key[field];
      return direction === 1 || direction === -1 ? direction : 0;
    });
    this.geoField = this.fields.find((field) => spec.key[field] === '2dsphere');
    this.geoCells = this.geoField === undefined ? undefined : new GeoCells(this.geoField);
    this.ordered = this.directions.every((direction) => direction !== 0)
      ? new SortedEntries((a, b) => this.compareEntries(a, b))
      : undefined;
  }

  private compareEntries(a: IndexEntry, b: IndexEntry): number {
    for (const [position, direction] of this.directions.entries()) {
      const order = compareValues(a.values[position], b.values[position]) * direction;
      if (order !== 0) return order;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  }

  /** Why `doc` cannot be indexed here (only 2dsphere keys can refuse a document), if it cannot. */
  keyError(doc: Doc): MongoCommandError | undefined {
    if (!this.geoCells || !this.includes(doc)) return undefined;
    return geoKeyError(doc, this.spec);
  }

  get name(): string {
    return this.spec.name;
  }

  get unique(): boolean {
    return this.spec.unique === true;
  }

  /** Sparse and partial indexes leave some documents out entirely. */
  get coversAllDocuments(): boolean {
    return !this.spec.sparse && !this.partialMatcher;
  }

  sameDefinitionAs(other: IndexSpec): boolean {
    return (
      JSON.stringify(this.spec.key) === JSON.stringify(other.key) &&
      IDENTITY_OPTIONS.every(
        (option) => JSON.stringify(this.spec[option]) === JSON.stringify(other[option]),
      )
    );
  }

  includes(doc: Doc): boolean {
    if (this.partialMatcher && !this.partialMatcher(doc)) return false;
    if (this.spec.sparse) {
      return this.fields.some((field) => valuesAtPath(doc, field).length > 0);
    }
    return true;
  }

  /** Distinct key tuples of a document (several when an indexed field holds an array). */
  tuplesOf(doc: Doc): unknown[][] {
    let tuples: unknown[][] = [[]];
    for (const field of this.fields) {
      const distinct = new Map<string, unknown>();
      for (const value of valuesAtPath(doc, field)) distinct.set(valueKey(value), value);
      if (distinct.size === 0) distinct.set('N', undefined);
      tuples = tuples.flatMap((tuple) => [...distinct.values()].map((value) => [...tuple, value]));
    }
    return tuples;
  }

  /** Whether a replace keeps this index's entries as they are (the values it indexes are the same). */
  keepsEntries(before: Doc, after: Doc): boolean {
    const included = this.includes(before);
    if (included !== this.includes(after)) return false;
    return (
      !included ||
      this.fields.every(
        (field) =>
          valueKey(valuesAtPath(before, field, true)) ===
          valueKey(valuesAtPath(after, field, true)),
      )
    );
  }

  keysOf(doc: Doc): string[] {
    return this.tuplesOf(doc).map((tuple) => this.keyForValues(tuple));
  }

  keyForValues(values: unknown[]): string {
    return values.map(valueKey).join('\u0000');
  }

  keyValueOf(doc: Doc): Document {
    const keyValue: Document = {};
    for (const field of this.fields) keyValue[field] = firstValueAtPath(doc, field);
    return keyValue;
  }

  lookup(key: string): ReadonlySet<string> | undefined {
    return this.entries.get(key);
  }

  add(id: string, doc: Doc): void {
    if (!this.includes(doc)) return;
    const tuples = this.tuplesOf(doc);
    if (!this.multikey) {
      this.multikey = this.fields.some((field) =>
        valuesAtPath(doc, field, true).some(Array.isArray),
      );
    }
    for (const tuple of tuples) {
      const key = this.keyForValues(tuple);
      let ids = this.entries.get(key);
      if (!ids) {
        ids = new Set();
        this.entries.set(key, ids);
      }
      ids.add(id);
      this.ordered?.insert({ values: tuple, id });
    }
    this.geoCells?.add(id, doc);
  }

  remove(id: string, doc: Doc): void {
    if (!this.includes(doc)) return;
    for (const tuple of this.tuplesOf(doc)) {
      const key = this.keyForValues(tuple);
      const ids = this.entries.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.entries.delete(key);
      this.ordered?.remove({ values: tuple, id });
    }
    this.geoCells?.remove(id, doc);
  }

  duplicateKeyError(ns: string, doc: Doc): MongoCommandError {
    const keyValue = this.keyValueOf(doc);
    const shown = Object.entries(keyValue)
      .map(([field, value]) => `${field}: ${JSON.stringify(value)}`)
      .join(', ');
    return new MongoCommandError(
      'DuplicateKey',
      `E11000 duplicate key error collection: ${ns} index: ${this.name} dup key: { ${shown} }`,
      { extra: { keyPattern: this.spec.key, keyValue } },
    );
  }
}
