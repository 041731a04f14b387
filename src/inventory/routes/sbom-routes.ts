// SBOM upload: the raw file as the request body. This plugin has content-type parsers of its own that
// keep the body as bytes (JSON included), so the parser sees the file exactly as uploaded.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { uploadSbom } from '../sbom-service.ts';
import { sbomUploaders, tags } from './common.ts';

export const sbomContentTypes = [
  'application/vnd.cyclonedx+json',
  'application/vnd.cyclonedx+xml',
  'application/spdx+json',
  'application/json',
  'application/xml',
  'text/xml',
];

const UploadResult = Type.Object({
  firmwareId: Type.String({ format: 'uuid' }),
  format: Type.Union([
    Type.Literal('cyclonedx-json'),
    Type.Literal('cyclonedx-xml'),
    Type.Literal('spdx-json'),
  ]),
  specVersion: Type.String(),
  serialNumber: Type.Union([Type.String(), Type.Null()]),
  sha256: Type.String(),
  size: Type.Integer(),
  replaced: Type.Boolean({ description: 'An earlier SBOM of this firmware was replaced' }),
  counts: Type.Object({
    components: Type.Integer(),
    withPurl: Type.Integer(),
    withVersion: Type.Integer(),
    withLicence: Type.Integer(),
    withHash: Type.Integer(),
  }),
});

export const sbomRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const bodyLimit = deps.config.sbomMaxBytes;
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(sbomContentTypes, { parseAs: 'buffer', bodyLimit }, (_request, body, done) =>
    done(null, body),
  );

  app.put(
    '/api/v1/firmware/:firmwareId/sbom',
    {
      bodyLimit,
      config: { access: sbomUploaders },
      schema: {
        tags,
        summary: "Upload (or replace) a firmware version's SBOM: CycloneDX JSON/XML 1.4–1.6 or SPDX 2.3 JSON",
        description:
          'Send the file itself as the body. A malformed SBOM is refused with the line, column or path ' +
          'and the reason of its first problem (fields.sbom), and nothing of it is stored. A valid one ' +
          'replaces the previous SBOM and all its components at once. Suppliers may upload for their own firmware.',
        params: Type.Object({ firmwareId: Type.String({ format: 'uuid' }) }),
        body: {
          content: Object.fromEntries(
            sbomContentTypes.map((type) => [
              type,
              { schema: { format: 'binary', description: 'The SBOM file' } },
            ]),
          ),
        },
        response: { 200: UploadResult, ...errorResponses(400, 401, 403, 404, 413, 415) },
      },
    },
    async (request) =>
      uploadSbom(deps, request.principal as Principal, request.params.firmwareId, {
        body: request.body as Buffer,
        contentType: request.headers['content-type'],
      }),
  );
};
