// A man in the middle between the agent and the product: forwards every request (method, headers,
// body) and lets a test replace the director's check-in answer (knowing the nonce the device sent),
// cut a target download after K bytes, or send endless bytes for a target. It also records the
// Range and If-Range headers each target request carried.
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export type CheckInRewrite = (
  request: { nonce: string; installedVersion: string },
  upstream: string,
) => string | Promise<string>;

export async function startDeviceProxy(upstreamUrl: string) {
  let checkInRewrite: CheckInRewrite | null = null;
  let cutTargetsAfter: number | null = null;
  let endlessTargets = false;
  const targetRequests: { url: string; range: string | null; ifRange: string | null; status: number }[] = [];

  const server = http.createServer(async (request, response) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const url = request.url ?? '/';
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(request.headers)) {
        if (typeof value === 'string' && !['host', 'connection', 'content-length'].includes(name))
          headers[name] = value;
      }
      if (url.startsWith('/tuf/targets/') && endlessTargets) {
        targetRequests.push({
          url,
          range: headers.range ?? null,
          ifRange: headers['if-range'] ?? null,
          status: 200,
        });
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const block = Buffer.alloc(64 * 1024, 0x41);
        const pump = () => {
          while (!response.destroyed && response.write(block)) {}
          if (!response.destroyed) response.once('drain', pump);
        };
        response.on('close', () => response.removeAllListeners('drain'));
        pump();
        return;
      }
      const upstream = await fetch(`${upstreamUrl}${url}`, {
        method: request.method ?? 'GET',
        headers,
        ...(body.length > 0 ? { body } : {}),
      });
      let answer = Buffer.from(await upstream.arrayBuffer());
      if (url === '/device/v1/check-in' && upstream.status === 200 && checkInRewrite) {
        answer = Buffer.from(
          await checkInRewrite(JSON.parse(body.toString('utf8')), answer.toString('utf8')),
        );
      }
      const out: Record<string, string> = {
        'content-type': upstream.headers.get('content-type') ?? 'application/octet-stream',
      };
      for (const name of ['etag', 'content-range', 'accept-ranges']) {
        const value = upstream.headers.get(name);
        if (value) out[name] = value;
      }
      if (url.startsWith('/tuf/targets/')) {
        targetRequests.push({
          url,
          range: headers.range ?? null,
          ifRange: headers['if-range'] ?? null,
          status: upstream.status,
        });
        if (cutTargetsAfter !== null && answer.length > cutTargetsAfter) {
          // Announce the whole answer, send K bytes, then drop the connection.
          response.writeHead(upstream.status, { ...out, 'content-length': answer.length });
          response.write(answer.subarray(0, cutTargetsAfter), () => response.socket?.destroy());
          return;
        }
      }
      response.writeHead(upstream.status, { ...out, 'content-length': answer.length });
      response.end(answer);
    } catch (error) {
      if (!response.headersSent) response.writeHead(502);
      response.end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    targetRequests,
    rewriteCheckIn(rule: CheckInRewrite | null) {
      checkInRewrite = rule;
    },
    cutTargetsAfter(bytes: number | null) {
      cutTargetsAfter = bytes;
    },
    endlessTargets(on: boolean) {
      endlessTargets = on;
    },
    reset() {
      checkInRewrite = null;
      cutTargetsAfter = null;
      endlessTargets = false;
      targetRequests.length = 0;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
