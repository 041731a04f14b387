// Server process for the inbox benchmark's baseline: a bare Fastify app (no logger, no schema, no
// session, no database) answering GET /answers/<n> with the n-th JSON body from the file named by
// the first argument: the product's own answer to the n-th query, so both send the same bytes.
import fs from 'node:fs';
import Fastify from 'fastify';
import { serveTarget } from '../support/target-process.ts';

await serveTarget(async () => {
  const bodies = JSON.parse(fs.readFileSync(process.argv[2] ?? '', 'utf8')) as string[];
  const app = Fastify();
  app.get('/answers/:n', async (request, reply) => {
    const body = bodies[Number((request.params as { n: string }).n)];
    if (body === undefined) return reply.code(404).send();
    return reply.type('application/json; charset=utf-8').send(body);
  });
  const url = await app.listen({ host: '127.0.0.1', port: 0 });
  return { url, countStored: async () => bodies.length, close: () => app.close() };
});
