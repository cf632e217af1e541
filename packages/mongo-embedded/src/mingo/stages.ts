import type { Document } from 'bson';
import { evalExpr } from 'mingo/core';
import { type Iterator, Lazy } from 'mingo/lazy';
import type { Options } from 'mingo/types';
import { compareValues, sortDocuments } from '../sorting.ts';

/*
 * Pipeline stages where mingo differs from MongoDB: $sort uses MongoDB's cross-type order,
 * $count emits nothing for empty input, $bucket puts a value equal to a boundary in the bucket
 * that starts there, and $sample never returns a document twice.
 */
export function sortStage(collection: Iterator, spec: Document): Iterator {
  return collection.transform((docs) => Lazy(sortDocuments(docs as Document[], spec)));
}

export function countStage(collection: Iterator, field: string): Iterator {
  const size = collection.size();
  return Lazy(size === 0 ? [] : [{ [field]: size }]);
}

export function sampleStage(collection: Iterator, spec: Document): Iterator {
  return collection.transform((docs) => {
    const pool = [...(docs as Document[])];
    const size = Math.min(Number(spec.size), pool.length);
    // Partial Fisher-Yates: the first `size` slots end up a uniform sample without repeats.
    for (let i = 0; i < size; i++) {
      const j = i + Math.floor(Math.random() * (pool.length - i));
      [pool[i], pool[j]] = [pool[j] as Document, pool[i] as Document];
    }
    return Lazy(pool.slice(0, size));
  });
}

export function bucketStage(collection: Iterator, spec: Document, options: Options): Iterator {
  const boundaries: unknown[] = spec.boundaries;
  if (!Array.isArray(boundaries) || boundaries.length < 2) {
    throw new Error('$bucket requires at least two boundaries');
  }
  const output: Document = spec.output ?? { count: { $sum: 1 } };
  return collection.transform((docs) => {
    const groups = new Map<unknown, Document[]>();
    for (const doc of docs as Document[]) {
      const value = evalExpr(doc, spec.groupBy, options);
      const upper = boundaries.findIndex((bound) => compareValues(value, bound) < 0);
      const inRange = upper > 0 && compareValues(value, boundaries[0]) >= 0;
      if (!inRange && spec.default === undefined) {
        throw new Error(
          '$bucket could not find a matching branch for an input, and no default was specified.',
        );
      }
      const key = inRange ? boundaries[upper - 1] : spec.default;
      const group = groups.get(key);
      if (group) group.push(doc);
      else groups.set(key, [doc]);
    }
    const keys = [...boundaries.slice(0, -1), spec.default].filter((key) => groups.has(key));
    return Lazy(
      keys.map((key) => ({
        _id: key,
        ...(evalExpr(groups.get(key), output, options) as Document),
      })),
    );
  });
}
