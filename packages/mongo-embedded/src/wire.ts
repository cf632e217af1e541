import { BSON, type Document } from 'bson';
import { unwrapIncomingNumbers } from './numbers.ts';

export const OpCode = { REPLY: 1, QUERY: 2004, COMPRESSED: 2012, MSG: 2013 } as const;

const HEADER_SIZE = 16;
export const MAX_BSON_OBJECT_SIZE = 16 * 1024 * 1024;
export const MAX_MESSAGE_SIZE = 48_000_000;
const OP_MSG_CHECKSUM_PRESENT = 1 << 0;
export const OP_MSG_MORE_TO_COME = 1 << 1;

/** Numbers arrive wrapped so that their BSON types survive; see unwrapIncomingNumbers. */
const DESERIALIZE_OPTIONS = { promoteValues: false, promoteBuffers: false };

export interface MessageHeader {
  length: number;
  requestId: number;
  responseTo: number;
  opCode: number;
}

/** A command as the server sees it, whichever opcode carried it. */
export interface IncomingCommand {
  header: MessageHeader;
  body: Document;
  /** OP_MSG moreToCome: the client expects no reply. */
  moreToCome: boolean;
  legacy: boolean;
}

export class ProtocolError extends Error {}

export function readHeader(buffer: Buffer): MessageHeader {
  return {
    length: buffer.readInt32LE(0),
    requestId: buffer.readInt32LE(4),
    responseTo: buffer.readInt32LE(8),
    opCode: buffer.readInt32LE(12),
  };
}

/** Throws ProtocolError when the frame cannot be trusted; the caller then drops the connection. */
export function checkDeclaredLength(length: number): void {
  if (length < HEADER_SIZE || length > MAX_MESSAGE_SIZE) {
    throw new ProtocolError(`invalid message length ${length}`);
  }
}

function readCString(buffer: Buffer, offset: number): { value: string; next: number } {
  const end = buffer.indexOf(0, offset);
  if (end < 0) throw new ProtocolError('unterminated C string');
  return { value: buffer.toString('utf8', offset, end), next: end + 1 };
}

function readDocument(buffer: Buffer, offset: number): { doc: Document; next: number } {
  if (offset + 5 > buffer.length) throw new ProtocolError('truncated BSON document');
  const size = buffer.readInt32LE(offset);
  if (size < 5 || offset + size > buffer.length) throw new ProtocolError('invalid BSON length');
  if (size > MAX_BSON_OBJECT_SIZE + 16 * 1024) {
    throw new ProtocolError(`BSON document of ${size} bytes exceeds the 16 MiB limit`);
  }
  const doc = BSON.deserialize(buffer.subarray(offset, offset + size), DESERIALIZE_OPTIONS);
  unwrapIncomingNumbers(doc);
  return { doc, next: offset + size };
}

/**
 * Decodes one complete frame. Malformed content raises ProtocolError (or a BSON error), which the
 * connection turns into a closed socket; it never reaches command execution.
 */
export function decodeMessage(frame: Buffer): IncomingCommand {
  const header = readHeader(frame);
  if (header.opCode === OpCode.MSG) return decodeOpMsg(header, frame);
  if (header.opCode === OpCode.QUERY) return decodeOpQuery(header, frame);
  throw new ProtocolError(`unsupported opCode ${header.opCode}`);
}

function decodeOpMsg(header: MessageHeader, frame: Buffer): IncomingCommand {
  const flags = frame.readUInt32LE(HEADER_SIZE);
  const end = flags & OP_MSG_CHECKSUM_PRESENT ? frame.length - 4 : frame.length;
  let offset = HEADER_SIZE + 4;
  let body: Document | undefined;
  const sequences: Record<string, Document[]> = {};
  while (offset < end) {
    const kind = frame.readUInt8(offset);
    offset += 1;
    if (kind === 0) {
      const { doc, next } = readDocument(frame, offset);
      body = doc;
      offset = next;
    } else if (kind === 1) {
      const sectionSize = frame.readInt32LE(offset);
      const sectionEnd = offset + sectionSize;
      if (sectionSize < 5 || sectionEnd > end) throw new ProtocolError('invalid document sequence');
      const { value: identifier, next } = readCString(frame, offset + 4);
      const docs: Document[] = [];
      let cursor = next;
      while (cursor < sectionEnd) {
        const read = readDocument(frame, cursor);
        docs.push(read.doc);
        cursor = read.next;
      }
      sequences[identifier] = docs;
      offset = sectionEnd;
    } else {
      throw new ProtocolError(`unknown OP_MSG section kind ${kind}`);
    }
  }
  if (!body) throw new ProtocolError('OP_MSG without a body section');
  // Document sequences are the same fields as in the body, sent out of line for size.
  Object.assign(body, sequences);
  return { header, body, moreToCome: (flags & OP_MSG_MORE_TO_COME) !== 0, legacy: false };
}

function decodeOpQuery(header: MessageHeader, frame: Buffer): IncomingCommand {
  const { value: namespace, next } = readCString(frame, HEADER_SIZE + 4);
  if (!namespace.endsWith('.$cmd')) {
    throw new ProtocolError(`legacy OP_QUERY is only supported for commands, got ${namespace}`);
  }
  const { doc } = readDocument(frame, next + 8);
  // Legacy handshakes may wrap the command as {$query: {...}}.
  const command: Document = doc.$query && typeof doc.$query === 'object' ? doc.$query : doc;
  command.$db = namespace.slice(0, -'.$cmd'.length);
  return { header, body: command, moreToCome: false, legacy: true };
}

let nextRequestId = 1;

function encodeHeader(length: number, responseTo: number, opCode: number): Buffer {
  const header = Buffer.alloc(HEADER_SIZE);
  header.writeInt32LE(length, 0);
  header.writeInt32LE(nextRequestId++ & 0x7fffffff, 4);
  header.writeInt32LE(responseTo, 8);
  header.writeInt32LE(opCode, 12);
  return header;
}

export function encodeReply(request: IncomingCommand, reply: Document): Buffer {
  const payload = Buffer.from(BSON.serialize(reply));
  if (request.legacy) {
    const prefix = Buffer.alloc(20);
    prefix.writeInt32LE(0, 0); // responseFlags
    prefix.writeBigInt64LE(0n, 4); // cursorID
    prefix.writeInt32LE(0, 12); // startingFrom
    prefix.writeInt32LE(1, 16); // numberReturned
    const length = HEADER_SIZE + prefix.length + payload.length;
    return Buffer.concat([
      encodeHeader(length, request.header.requestId, OpCode.REPLY),
      prefix,
      payload,
    ]);
  }
  const prefix = Buffer.alloc(5); // flagBits (0) + section kind 0
  const length = HEADER_SIZE + prefix.length + payload.length;
  return Buffer.concat([
    encodeHeader(length, request.header.requestId, OpCode.MSG),
    prefix,
    payload,
  ]);
}
