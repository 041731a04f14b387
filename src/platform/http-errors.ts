// One shape for every error answer of the HTTP API, and its schema for the OpenAPI document.
import { Type } from '@fastify/type-provider-typebox';

export const ErrorBody = Type.Object({
  error: Type.String({ description: 'Stable error code in UPPER_SNAKE', examples: ['VALIDATION_FAILED'] }),
  message: Type.String(),
  fields: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'Reason per bad field' })),
});

export const errorResponses = (...codes: number[]) =>
  Object.fromEntries(codes.map((code) => [code, ErrorBody])) as Record<number, typeof ErrorBody>;
