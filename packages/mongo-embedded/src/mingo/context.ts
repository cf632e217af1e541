import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Document } from 'bson';
import { Context, ProcessingMode } from 'mingo/core';
import * as accumulatorOperators from 'mingo/operators/accumulator';
import * as expressionOperators from 'mingo/operators/expression';
import * as pipelineOperators from 'mingo/operators/pipeline';
import * as projectionOperators from 'mingo/operators/projection';
import * as queryOperators from 'mingo/operators/query';
import * as windowOperators from 'mingo/operators/window';
import type { Options } from 'mingo/types';
import { dateAdd, dateTrunc } from './dates.ts';
import { expressionOverrides } from './expressions.ts';
import { geoQueryOperators } from './geo-operators.ts';
import { typeQuery } from './query-operators.ts';
import { bucketStage, countStage, sampleStage, sortStage } from './stages.ts';

type OperatorTables = NonNullable<Parameters<typeof Context.init>[0]>;

/** All of mingo's operators, with ours in place of the ones that differ from MongoDB. */
const MINGO_CONTEXT = Context.init({
  accumulator: accumulatorOperators,
  expression: {
    ...expressionOperators,
    ...expressionOverrides,
    $dateTrunc: dateTrunc,
    $dateAdd: dateAdd,
  },
  pipeline: {
    ...pipelineOperators,
    $sort: sortStage,
    $count: countStage,
    $bucket: bucketStage,
    $sample: sampleStage,
  },
  projection: projectionOperators,
  query: { ...queryOperators, $type: typeQuery, ...geoQueryOperators },
  window: windowOperators,
} as unknown as OperatorTables);

const require = createRequire(import.meta.url);
type PreparedOptions = Options & { readonly options: Partial<Options> };
/**
 * Mingo copies every operator table whenever it receives plain options, which dominated the cost
 * of a single-document query. A prepared ComputeOptions is reused as is; mingo does not export
 * the class, so it is loaded from the same CommonJS module that mingo's entry points use.
 */
const { ComputeOptions } = require(
  join(dirname(require.resolve('mingo/package.json')), 'cjs/core/_internal.js'),
) as {
  ComputeOptions: {
    new (options: Partial<Options>): PreparedOptions;
    init(options: Partial<Options>): PreparedOptions;
  };
};

const BASE_OPTIONS: Partial<Options> = {
  idKey: '_id',
  useStrictMode: true,
  scriptEnabled: false,
  context: MINGO_CONTEXT,
};

/**
 * The updater rebuilds its options on every call, copying the context it is given, and then adds
 * the query and comparison operators it needs itself: so it gets an empty context to copy.
 */
export const UPDATER_OPTIONS: Partial<Options> = { ...BASE_OPTIONS, context: Context.init() };

export const QUERY_OPTIONS = ComputeOptions.init(BASE_OPTIONS);

const PIPELINE_OPTIONS = ComputeOptions.init({
  ...BASE_OPTIONS,
  // Stages may modify their input in place; stored documents must stay untouched.
  processingMode: ProcessingMode.CLONE_INPUT,
});

/** Pipeline options resolving `$lookup`'s `from` through the caller's view of the data. */
export function pipelineOptions(collectionResolver: (name: string) => Document[]): Options {
  return new ComputeOptions({ ...PIPELINE_OPTIONS.options, collectionResolver });
}
