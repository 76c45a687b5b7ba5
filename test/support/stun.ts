// A STUN server on 127.0.0.1 that answers every request with an error
// response (403 Forbidden), so that a connection using it as its ICE server
// gets `icecandidateerror` events right away.

import { createSocket, type Socket } from 'node:dgram';

const MAGIC_COOKIE = 0x2112a442;
const ERROR_CODE = 0x0009;

export interface StunServer {
  port: number;
  /** requests answered so far */
  requests(): number;
  close(): Promise<void>;
}

function errorResponse(request: Buffer, code: number, reason: string): Buffer {
  const text = Buffer.from(reason, 'utf8');
  const value = Buffer.alloc(4 + Math.ceil(text.length / 4) * 4);
  value.writeUInt8(Math.floor(code / 100), 2);
  value.writeUInt8(code % 100, 3);
  text.copy(value, 4);
  const attribute = Buffer.alloc(4);
  attribute.writeUInt16BE(ERROR_CODE, 0);
  attribute.writeUInt16BE(4 + text.length, 2);
  const header = Buffer.alloc(20);
  // error response of the request's method: class bits C1 C0 = 1 1
  header.writeUInt16BE((request.readUInt16BE(0) & 0x3eef) | 0x0110, 0);
  header.writeUInt16BE(attribute.length + value.length, 2);
  request.copy(header, 4, 4, 20); // magic cookie and transaction id
  return Buffer.concat([header, attribute, value]);
}

export async function serveStunErrors(): Promise<StunServer> {
  const socket: Socket = createSocket('udp4');
  let answered = 0;
  socket.on('message', (msg, from) => {
    if (msg.length < 20 || msg.readUInt32BE(4) !== MAGIC_COOKIE || (msg.readUInt16BE(0) & 0x0110) !== 0) return; // requests only
    answered++;
    socket.send(errorResponse(msg, 403, 'Forbidden'), from.port, from.address);
  });
  await new Promise<void>((ok) => socket.bind(0, '127.0.0.1', ok));
  return {
    port: socket.address().port,
    requests: () => answered,
    close: () => new Promise((ok) => socket.close(() => ok())),
  };
}
