import type { Document } from 'bson';
import type { DataAccess } from '../data-access.ts';
import type { Engine } from '../engine.ts';
import { MongoCommandError } from '../errors.ts';
import { toJsNumber } from '../numbers.ts';

export interface CommandContext {
  engine: Engine;
  /** The database the command was sent to ($db). */
  db: string;
  body: Document;
  data: DataAccess;
  connectionId: number;
  sessionKey: string | undefined;
}

export type CommandHandler = (context: CommandContext) => Document | Promise<Document>;

/** The collection named by the command's first field, e.g. `{find: 'users'}`. */
export function targetCollection(context: CommandContext, commandName: string): string {
  const name = context.body[commandName];
  if (typeof name !== 'string' || name.length === 0) {
    throw new MongoCommandError(
      'InvalidNamespace',
      `collection name has invalid type ${typeof name}`,
    );
  }
  return name;
}

export function optionalNumber(body: Document, field: string): number | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  const number = toJsNumber(value);
  if (!Number.isFinite(number)) {
    throw new MongoCommandError('TypeMismatch', `Field '${field}' must be a number`);
  }
  return number;
}

export function optionalDocument(body: Document, field: string): Document | undefined {
  const value = body[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new MongoCommandError('TypeMismatch', `Field '${field}' must be an object`);
  }
  return value;
}
