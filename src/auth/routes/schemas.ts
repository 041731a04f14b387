// Schemas shared by the accounts routes.
import { Type } from '@fastify/type-provider-typebox';

export const RoleSchema = Type.Union([
  Type.Literal('admin'),
  Type.Literal('analyst'),
  Type.Literal('supplier'),
  Type.Literal('auditor'),
]);
