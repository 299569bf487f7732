import { createServer, type Socket } from 'node:net'
import type { AddressInfo } from 'node:net'
import { createEngine } from './engine'
import { OP_QUERY, opMsgReply, opReply, readMessages } from './wire'

/**
 * A local server that speaks the MongoDB wire protocol for the official driver, used when no
 * real MongoDB is reachable (MONGODB_URL unset). See engine.ts for what it answers.
 */
export async function startMongoWireServer() {
  const engine = createEngine()
  const sockets = new Set<Socket>()
  const commands: string[] = []
  const server = createServer((socket) => {
    sockets.add(socket)
    let pending: Buffer = Buffer.alloc(0)
    socket.on('data', (chunk: Buffer) => {
      const { messages, rest } = readMessages(Buffer.concat([pending, chunk]))
      pending = rest
      for (const message of messages) {
        if ('unsupported' in message) {
          socket.write(
            opMsgReply(message.requestId, {
              ok: 0,
              errmsg: `unsupported opCode ${message.opCode}`,
              code: 352,
              codeName: 'UnsupportedOpQueryCommand',
            }),
          )
          continue
        }
        commands.push(Object.keys(message.command)[0] ?? '')
        const reply = engine.execute(message.command)
        socket.write(
          message.opCode === OP_QUERY
            ? opReply(message.requestId, reply)
            : opMsgReply(message.requestId, reply),
        )
      }
    })
    socket.on('close', () => sockets.delete(socket))
    socket.on('error', () => sockets.delete(socket))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `mongodb://127.0.0.1:${port}/?directConnection=true&serverSelectionTimeoutMS=2000`,
    documents: engine.documents,
    commands,
    close: async () => {
      for (const socket of sockets) socket.destroy()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}
