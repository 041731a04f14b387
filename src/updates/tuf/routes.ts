// The image repository over HTTP, public and cacheable, laid out as tuf-js asks for it:
// /tuf/metadata/{N}.root.json, root.json (latest, for bootstrapping), timestamp.json,
// {V}.snapshot.json, {V}.targets.json, and /tuf/targets/<dir>/<sha256>.<name> (consistent snapshots).
// Metadata is sent as the exact bytes that were signed.
import crypto from 'node:crypto';
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Deps } from '../../deps.ts';
import { NotFound } from '../../platform/errors.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { sendStoredFile } from '../../platform/http-stored-file.ts';
import { findServableTarget } from '../releases/store.ts';
import { latestMetadata, metadataVersion, type StoredMetadata, type TufRole } from './metadata-store.ts';

const tags = ['image repository (TUF)'];
const immutable = 'public, max-age=31536000, immutable';

type MetadataName = { role: TufRole; version: number | 'latest'; cacheControl: string };

const metadataName = /^(?:(\d{1,9})\.)?(root|targets|snapshot|timestamp)\.json$/;

/** Which stored file a metadata name asks for; undefined for names TUF never asks for. */
export function parseMetadataName(name: string): MetadataName | undefined {
  const match = metadataName.exec(name);
  if (!match) return undefined;
  const [, version, role] = match as unknown as [string, string | undefined, TufRole];
  if (version !== undefined) {
    if (role === 'timestamp' || Number(version) < 1) return undefined;
    return { role, version: Number(version), cacheControl: immutable };
  }
  if (role === 'timestamp') return { role, version: 'latest', cacheControl: 'public, max-age=60' };
  if (role === 'root') return { role, version: 'latest', cacheControl: 'public, max-age=300' };
  return undefined;
}

const targetName = /^(.+\/)?([0-9a-f]{64})\.([^/]+)$/;

export const tufRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  app.get(
    '/tuf/metadata/:name',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A signed TUF metadata file',
        description:
          '`{N}.root.json` (every root version, for clients following rotations), `root.json` (the latest ' +
          'root, to bootstrap a client), `timestamp.json`, `{V}.snapshot.json` and `{V}.targets.json`. ' +
          'Versioned files never change and are cacheable for a year; a version that does not exist ' +
          'is a plain 404.',
        params: Type.Object({
          name: Type.String({ maxLength: 40, examples: ['1.root.json', 'timestamp.json'] }),
        }),
        response: {
          200: {
            description: 'The metadata file, as signed',
            content: { 'application/json': { schema: {} } },
          },
          304: { description: 'Not modified (the ETag matched)', type: 'null' },
          ...errorResponses(404),
        },
      },
    },
    async (request, reply) => {
      const name = parseMetadataName(request.params.name);
      const file: StoredMetadata | undefined =
        name &&
        (name.version === 'latest'
          ? await latestMetadata(deps.db, name.role)
          : await metadataVersion(deps.db, name.role, name.version));
      if (!name || !file) throw new NotFound('No such metadata file');
      const etag = `"${crypto.createHash('sha256').update(file.body).digest('hex')}"`;
      reply.header('etag', etag).header('cache-control', name.cacheControl);
      const ifNoneMatch = request.headers['if-none-match'];
      if (ifNoneMatch?.split(',').some((tag) => tag.trim() === etag)) {
        return reply.code(304).send(null);
      }
      return reply.type('application/json').send(file.body);
    },
  );

  app.get(
    '/tuf/targets/:product/:model/:counter/:file',
    {
      config: { access: 'public' },
      schema: {
        tags,
        summary: 'A firmware file of a signed release, at <dir>/<sha256>.<name> (Range, If-None-Match)',
        description:
          'Target paths are <product-slug>/<model-slug>/<release counter>/<file name>; with consistent ' +
          'snapshots the file is asked for as <sha256>.<file name>.',
        params: Type.Object({
          product: Type.String({ maxLength: 100 }),
          model: Type.String({ maxLength: 100 }),
          counter: Type.String({ pattern: '^[0-9]{1,9}$' }),
          file: Type.String({ maxLength: 300, examples: [`${'0'.repeat(64)}.cam-1.2.1.bin`] }),
        }),
        response: {
          200: {
            description: 'The whole file',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          206: {
            description: 'The requested byte range',
            content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
          },
          304: { description: 'Not modified (the ETag matched)', type: 'null' },
          ...errorResponses(404, 416),
        },
      },
    },
    async (request, reply) => {
      const { product, model, counter, file } = request.params;
      const match = targetName.exec(`${product}/${model}/${counter}/${file}`);
      if (!match) throw new NotFound('No such target file');
      const [, dir = '', sha256 = '', base = ''] = match;
      const target = await findServableTarget(deps.db, `${dir}${base}`, sha256);
      if (!target) throw new NotFound('No such target file');
      return sendStoredFile(request, reply, {
        sha256: target.sha256,
        size: Number(target.size),
        contentType: 'application/octet-stream',
        cacheControl: immutable,
        open: (range) => deps.artifacts.open(target.sha256, range),
      });
    },
  );
};
