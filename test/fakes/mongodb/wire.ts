import { deserialize, serialize, type Document } from 'bson'

/** MongoDB wire protocol framing: OP_MSG (2013), and the legacy OP_QUERY/OP_REPLY handshake. */
const OP_REPLY = 1
export const OP_QUERY = 2004
const OP_MSG = 2013
const CHECKSUM_PRESENT = 1

export type Incoming =
  | { opCode: typeof OP_MSG; requestId: number; command: Document }
  | { opCode: typeof OP_QUERY; requestId: number; collection: string; command: Document }
  | { opCode: number; requestId: number; unsupported: true }

function cstring(buffer: Buffer, offset: number): [string, number] {
  const end = buffer.indexOf(0, offset)
  return [buffer.toString('utf8', offset, end), end + 1]
}

/** Splits a byte stream into complete messages; returns them and what is left over. */
export function readMessages(buffer: Buffer): { messages: Incoming[]; rest: Buffer } {
  const messages: Incoming[] = []
  let offset = 0
  while (buffer.length - offset >= 16) {
    const length = buffer.readInt32LE(offset)
    if (buffer.length - offset < length) break
    const message = buffer.subarray(offset, offset + length)
    offset += length
    const requestId = message.readInt32LE(4)
    const opCode = message.readInt32LE(12)
    if (opCode === OP_MSG) {
      const flags = message.readUInt32LE(16)
      const end = flags & CHECKSUM_PRESENT ? message.length - 4 : message.length
      let position = 20
      let command: Document = {}
      while (position < end) {
        const kind = message[position]
        position += 1
        if (kind === 0) {
          const size = message.readInt32LE(position)
          command = {
            ...deserialize(message.subarray(position, position + size), {
              promoteLongs: true,
              promoteValues: true,
            }),
            ...command,
          }
          position += size
        } else {
          // Kind 1: a document sequence, e.g. the `documents` of an insert.
          const size = message.readInt32LE(position)
          const sectionEnd = position + size
          const [identifier, afterName] = cstring(message, position + 4)
          const documents: Document[] = []
          let cursor = afterName
          while (cursor < sectionEnd) {
            const docSize = message.readInt32LE(cursor)
            documents.push(deserialize(message.subarray(cursor, cursor + docSize)))
            cursor += docSize
          }
          command[identifier] = documents
          position = sectionEnd
        }
      }
      messages.push({ opCode: OP_MSG, requestId, command })
    } else if (opCode === OP_QUERY) {
      const [collection, afterName] = cstring(message, 20)
      const docStart = afterName + 8
      const size = message.readInt32LE(docStart)
      messages.push({
        opCode: OP_QUERY,
        requestId,
        collection,
        command: deserialize(message.subarray(docStart, docStart + size)),
      })
    } else {
      messages.push({ opCode, requestId, unsupported: true })
    }
  }
  return { messages, rest: buffer.subarray(offset) }
}

let nextRequestId = 1

export function opMsgReply(responseTo: number, document: Document): Buffer {
  const body = serialize(document)
  const header = Buffer.alloc(21)
  header.writeInt32LE(16 + 4 + 1 + body.length, 0)
  header.writeInt32LE(nextRequestId++, 4)
  header.writeInt32LE(responseTo, 8)
  header.writeInt32LE(OP_MSG, 12)
  header.writeUInt32LE(0, 16)
  header.writeUInt8(0, 20)
  return Buffer.concat([header, body])
}

export function opReply(responseTo: number, document: Document): Buffer {
  const body = serialize(document)
  const header = Buffer.alloc(36)
  header.writeInt32LE(36 + body.length, 0)
  header.writeInt32LE(nextRequestId++, 4)
  header.writeInt32LE(responseTo, 8)
  header.writeInt32LE(OP_REPLY, 12)
  header.writeInt32LE(0, 16) // responseFlags
  header.writeBigInt64LE(0n, 20) // cursorID
  header.writeInt32LE(0, 28) // startingFrom
  header.writeInt32LE(1, 32) // numberReturned
  return Buffer.concat([header, body])
}
