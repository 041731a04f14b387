// A real HTTP receiver for webhook tests: listens on 127.0.0.1 at a random port, records every
// request with its raw body, and answers with the statuses it is told (200 once the list runs out).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type ReceivedRequest = {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
};

export type Receiver = {
  url: string;
  received: ReceivedRequest[];
  /** Statuses for the next requests, in order; a 3xx answer points to /elsewhere. */
  answers: number[];
  close(): Promise<void>;
};

export async function startReceiver(path = '/hook'): Promise<Receiver> {
  const received: ReceivedRequest[] = [];
  const answers: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body });
      const status = answers.shift() ?? 200;
      if (status >= 300 && status < 400) res.writeHead(status, { location: '/elsewhere' }).end();
      else
        res.writeHead(status, { 'content-type': 'text/plain' }).end(`answer ${status} ${'x'.repeat(1000)}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}${path}`,
    received,
    answers,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
