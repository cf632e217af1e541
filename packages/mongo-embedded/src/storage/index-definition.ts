import type { Document } from 'bson';
import { MongoCommandError } from '../errors.ts';
import { compileFilter, type Matcher } from '../query.ts';
import { type Doc, firstValueAtPath, valueKey, valuesAtPath } from '../values.ts';

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
 * One secondary index: its spec plus an exact-key map from canonical key to document ids.
 * The map serves unique enforcement and equality lookups; range scans and geo arrive later
 * behind the same `lookup` entry point.
 */
export class IndexDefinition {
  readonly spec: IndexSpec;
  readonly fields: string[];
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

  /** Distinct composite keys of a document (several when a field is an array). */
  keysOf(doc: Doc): string[] {
    let keys = [''];
    for (const [position, field] of this.fields.entries()) {
      const values = valuesAtPath(doc, field);
      const parts = values.length === 0 ? ['N'] : [...new Set(values.map(valueKey))];
      keys = keys.flatMap((prefix) =>
        parts.map((part) => (position === 0 ? part : `${prefix}\u0000${part}`)),
      );
    }
    return [...new Set(keys)];
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
    for (const key of this.keysOf(doc)) {
      let ids = this.entries.get(key);
      if (!ids) {
        ids = new Set();
        this.entries.set(key, ids);
      }
      ids.add(id);
    }
  }

  remove(id: string, doc: Doc): void {
    if (!this.includes(doc)) return;
    for (const key of this.keysOf(doc)) {
      const ids = this.entries.get(key);
      ids?.delete(id);
      if (ids?.size === 0) this.entries.delete(key);
    }
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
