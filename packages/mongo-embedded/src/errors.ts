/**
 * Server-side errors carry MongoDB's numeric code and code name so that the driver and Mongoose
 * classify them (retryable, transient, duplicate key) exactly as they would against a real server.
 */
export const ErrorCode = {
  BadValue: 2,
  Unauthorized: 13,
  FailedToParse: 9,
  TypeMismatch: 14,
  InvalidLength: 16,
  IllegalOperation: 20,
  ConflictingOperationInProgress: 117,
  TransactionTooOld: 225,
  NamespaceNotFound: 26,
  PathNotViable: 28,
  IndexNotFound: 27,
  ConflictingUpdateOperators: 40,
  CursorNotFound: 43,
  NamespaceExists: 48,
  CommandNotFound: 59,
  ImmutableField: 66,
  CannotCreateIndex: 67,
  InvalidOptions: 72,
  InvalidNamespace: 73,
  IndexOptionsConflict: 85,
  IndexKeySpecsConflict: 86,
  WriteConflict: 112,
  CommandNotSupported: 115,
  InvalidIdField: 118,
  NoSuchTransaction: 251,
  TransactionCommitted: 256,
  TransactionTooLarge: 257,
  OperationNotSupportedInTransaction: 263,
  InvalidPipelineOperator: 168,
  BSONObjectTooLarge: 10334,
  DuplicateKey: 11000,
  Location40324: 40324,
} as const;

export type ErrorCodeName = keyof typeof ErrorCode;

export class MongoCommandError extends Error {
  readonly code: number;
  readonly codeName: string;
  readonly errorLabels: string[];
  /** Extra top-level reply fields (e.g. keyPattern/keyValue for duplicate keys). */
  readonly extra: Record<string, unknown>;

  constructor(
    codeName: ErrorCodeName,
    message: string,
    options: { labels?: string[]; extra?: Record<string, unknown> } = {},
  ) {
    super(message);
    this.codeName = codeName;
    this.code = ErrorCode[codeName];
    this.errorLabels = options.labels ?? [];
    this.extra = options.extra ?? {};
  }

  toReply(): Record<string, unknown> {
    const reply: Record<string, unknown> = {
      ok: 0,
      errmsg: this.message,
      code: this.code,
      codeName: this.codeName,
      ...this.extra,
    };
    if (this.errorLabels.length > 0) reply.errorLabels = this.errorLabels;
    return reply;
  }

  /** The per-document shape used inside `writeErrors`. */
  toWriteError(index: number): Record<string, unknown> {
    return { index, code: this.code, errmsg: this.message, ...this.extra };
  }
}

export function badValue(message: string): MongoCommandError {
  return new MongoCommandError('BadValue', message);
}

/** Mingo's messages for input it cannot run, mapped to the codes MongoDB gives the same input. */
const MINGO_ERRORS: Array<[RegExp, ErrorCodeName, (name: string) => string]> = [
  [
    /unregistered pipeline operator (\$\w+)/,
    'Location40324',
    (name) => `Unrecognized pipeline stage name: '${name}'`,
  ],
  [
    /accumulator '(\$\w+)' is not registered/,
    'InvalidPipelineOperator',
    (name) => `Unrecognized expression '${name}'`,
  ],
  [
    /unknown (?:query|top level) operator:? (\$\w+)/,
    'BadValue',
    (name) => `unknown operator: ${name}`,
  ],
];

/** Errors thrown while evaluating client input are the client's fault, not a crash. */
export function asCommandError(error: unknown): MongoCommandError {
  if (error instanceof MongoCommandError) return error;
  if (error instanceof RangeError) {
    return new MongoCommandError('BadValue', `input too deeply nested: ${error.message}`);
  }
  const message = error instanceof Error ? error.message : String(error);
  for (const [pattern, codeName, describe] of MINGO_ERRORS) {
    const match = pattern.exec(message);
    if (match) return new MongoCommandError(codeName, describe(match[1] as string));
  }
  return new MongoCommandError('BadValue', message);
}
