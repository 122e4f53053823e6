import WebSocket from 'ws';

export interface RawSubscriber {
  socket: WebSocket;
  close(): void;
}

/**
 * A minimal graphql-transport-ws client for load tests: connection_init, one subscribe, `next`
 * payloads to `onData`. Lighter than graphql-ws' client when a process holds 10,000 of them.
 */
export function openRawSubscriber(
  url: string,
  query: string,
  onData: (payload: { data?: any; errors?: unknown[] }) => void,
  onClosed?: (code: number) => void,
  /** The connection_init payload, e.g. `{ authorization: 'Bearer …' }` for the gateway. */
  connectionParams: Record<string, unknown> = {},
): Promise<RawSubscriber> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, 'graphql-transport-ws', { perMessageDeflate: false });
    let acked = false;
    socket.on('open', () => socket.send(JSON.stringify({ type: 'connection_init', payload: connectionParams })));
    socket.on('message', (raw: Buffer) => {
      const msg = JSON.parse(raw.toString('utf8')) as { type: string; payload?: any };
      switch (msg.type) {
        case 'connection_ack':
          acked = true;
          socket.send(JSON.stringify({ id: '1', type: 'subscribe', payload: { query } }));
          resolve({ socket, close: () => socket.close(1000) });
          return;
        case 'next':
          onData(msg.payload);
          return;
        case 'ping':
          socket.send(JSON.stringify({ type: 'pong' }));
          return;
        default:
          return;
      }
    });
    socket.on('error', (err) => {
      if (!acked) reject(err);
    });
    socket.on('close', (code) => {
      if (!acked) reject(new Error(`closed with ${code} before connection_ack`));
      onClosed?.(code);
    });
  });
}

/** Percentile of an ascending-sorted array. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}
