// A hostile server or CDN in front of the image repository: forwards every request to the product
// and lets a test rewrite the answer for a path (older metadata, other bytes, a longer file).
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type Rewrite = (upstream: { status: number; body: Buffer }) => { status: number; body: Buffer };

export async function startHostileProxy(upstreamUrl: string) {
  const rules = new Map<string, Rewrite>();
  const server = http.createServer(async (request, response) => {
    try {
      const upstream = await fetch(`${upstreamUrl}${request.url}`);
      const answer = { status: upstream.status, body: Buffer.from(await upstream.arrayBuffer()) };
      const rule = rules.get(request.url ?? '');
      const { status, body } = rule ? rule(answer) : answer;
      response.writeHead(status, {
        'content-length': body.length,
        'content-type': 'application/octet-stream',
      });
      response.end(body);
    } catch (error) {
      response.writeHead(502);
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Rewrites answers for exactly this path (e.g. '/tuf/metadata/timestamp.json'). */
    rewrite(path: string, rule: Rewrite) {
      rules.set(path, rule);
    },
    clear() {
      rules.clear();
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
