// Server process for the check-in benchmark's baseline: a bare Fastify route at the same path that
// parses the same JSON body and answers a fixed JSON body of the product's size, with no
// authentication, database, signature or logging. Argument: {"bodyBytes": N}.
import Fastify from 'fastify';
import { serveTarget } from '../support/target-process.ts';

await serveTarget(async () => {
  const { bodyBytes } = JSON.parse(process.argv[2] ?? '{}') as { bodyBytes: number };
  const skeleton = '{"answer":""}';
  const body = `{"answer":"${'x'.repeat(Math.max(0, bodyBytes - skeleton.length))}"}`;
  let answered = 0;
  const app = Fastify();
  app.post('/device/v1/check-in', async (_request, reply) => {
    answered++;
    return reply.type('application/json').send(body);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return {
    url,
    countStored: async () => answered,
    close: () => app.close(),
  };
});
