// Bytes on the wire, headers included: a TCP proxy in front of a server that counts what passes each
// way, and a raw HTTP/1.1 exchange written byte for byte as a small device would send it.
import net from 'node:net';

export type ByteCounter = {
  /** The proxy's base URL (http://127.0.0.1:port). */
  url: string;
  /** Bytes sent to the server and received from it since the last reset, and connections opened. */
  counts(): { sent: number; received: number; connections: number };
  reset(): void;
  close(): Promise<void>;
};

export async function countingProxy(target: string): Promise<ByteCounter> {
  const { hostname, port } = new URL(target);
  let sent = 0;
  let received = 0;
  let connections = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    connections++;
    const upstream = net.connect(Number(port), hostname);
    sockets.add(client).add(upstream);
    client.on('data', (chunk) => {
      sent += chunk.length;
    });
    upstream.on('data', (chunk) => {
      received += chunk.length;
    });
    client.pipe(upstream).pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('close', end).on('error', end);
    upstream.on('close', end).on('error', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address() as net.AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    counts: () => ({ sent, received, connections }),
    reset() {
      sent = 0;
      received = 0;
      connections = 0;
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** One request on a fresh connection, exactly these bytes; answers the raw response and both sizes. */
export function rawExchange(
  base: string,
  request: { method: 'POST'; path: string; headers: Record<string, string>; body: string },
): Promise<{ requestBytes: number; responseBytes: number; status: number; body: string }> {
  const { hostname, port, host } = new URL(base);
  const body = Buffer.from(request.body, 'utf8');
  const head = [
    `${request.method} ${request.path} HTTP/1.1`,
    `Host: ${host}`,
    ...Object.entries(request.headers).map(([name, value]) => `${name}: ${value}`),
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  const bytes = Buffer.concat([Buffer.from(head, 'latin1'), body]);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => {
      chunks.push(chunk);
      const response = Buffer.concat(chunks);
      const split = response.indexOf('\r\n\r\n');
      if (split < 0) return;
      const headers = response.subarray(0, split).toString('latin1');
      const length = Number(/\r\ncontent-length: *(\d+)/i.exec(headers)?.[1] ?? Number.NaN);
      if (!(response.length >= split + 4 + length)) return;
      socket.destroy();
      resolve({
        requestBytes: bytes.length,
        responseBytes: response.length,
        status: Number(headers.slice(9, 12)),
        body: response.subarray(split + 4).toString('utf8'),
      });
    });
    socket.on('error', reject);
  });
}
