// A link that was down does not replay the document changes made meanwhile: the next
// connection's sync carries them, and replayed ahead of it they reach the peer with a gap before
// them (Yjs holds each as pending and merges it into the rest, once per change). What else was
// sent while down (presence, stateless requests) still goes out when the link is back.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { once } from 'node:events';
import WebSocket, { WebSocketServer, type RawData } from 'ws';
import * as encoding from 'lib0/encoding';
import { MessageType } from '@hocuspocus/provider';
import { PeerSocket, isDocumentSync } from '../../main/venue/net/transport/peer-socket.ts';

const Y_SYNC_UPDATE = 2;

function syncUpdate(documentName: string, bytes: number[]): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, MessageType.Sync);
  encoding.writeVarUint(e, Y_SYNC_UPDATE);
  encoding.writeVarUint8Array(e, Uint8Array.from(bytes));
  return encoding.toUint8Array(e);
}

function stateless(documentName: string, payload: string): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarString(e, documentName);
  encoding.writeVarUint(e, MessageType.Stateless);
  encoding.writeVarString(e, payload);
  return encoding.toUint8Array(e);
}

test('a sync message is told from the provider’s other messages, and garbage is not one', () => {
  assert.equal(isDocumentSync(syncUpdate('venue:1:event', [1, 2, 3])), true);
  assert.equal(isDocumentSync(stateless('venue:1:event', 'poll?')), false);
  assert.equal(isDocumentSync(new Uint8Array([0xff, 0xff, 0xff])), false);
  assert.equal(isDocumentSync(new Uint8Array()), false);
  assert.equal(isDocumentSync('not bytes'), false);
});

test('changes sent while the link is down are dropped, not replayed; stateless messages wait for the link', async (t) => {
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const received: Buffer[] = [];
  let answered = 0;
  const arrived = new Set<() => void>();
  server.on('connection', (ws: WebSocket) => {
    ws.on('message', (data: RawData) => {
      received.push(Buffer.from(data as Buffer));
      for (const wake of arrived) wake();
    });
    // The provider sends what it queued once the server first speaks (its connection attempt resolves).
    ws.send(stateless('venue:1:event', 'hello'));
    answered += 1;
  });
  const { port } = server.address() as { port: number };
  const socket = new PeerSocket({
    url: `ws://127.0.0.1:${port}`,
    WebSocketPolyfill: WebSocket,
    autoConnect: false,
  });
  t.after(async () => {
    socket.destroy();
    for (const c of server.clients) c.terminate();
    await new Promise((r) => server.close(r));
  });
  const whileDown = syncUpdate('venue:1:event', [7, 7, 7]);
  const request = stateless('venue:1:event', 'poll?');
  socket.send(whileDown);
  socket.send(request);

  const count = (n: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        if (received.length < n) return;
        arrived.delete(wake);
        resolve();
      };
      arrived.add(wake);
      wake();
    });
  void socket.connect();
  await count(1);
  // Up now: a change goes out at once.
  const live = syncUpdate('venue:1:event', [8, 8, 8]);
  socket.send(live);
  await count(2);

  assert.equal(answered, 1);
  assert.deepEqual(
    received.map((b) => b.toString('hex')),
    [Buffer.from(request).toString('hex'), Buffer.from(live).toString('hex')],
    'the stateless request, then the live change; never the change made while down',
  );
});
