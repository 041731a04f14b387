// Who may call what: the expected outcome of every route of the OpenAPI document for every role.
// test/auth/authorization-matrix.test.ts walks the document and checks each row against the server.
//
// HOW TO ADD A ROW (one per `METHOD /path` of /api/openapi.json, path written as OpenAPI writes it):
//
//   'PATCH /api/v1/models/{modelId}': {
//     allow: ['admin', 'analyst'],                       // roles that get past authorization
//     request: (f) => ({ url: `/api/v1/models/${f.ids.modelId}`, payload: { name: 'x' } }),
//   },
//
// - `allow`: `everyone` for public routes (anonymous included), `signedIn` for any account, or a
//   list of roles. Allowed means "not 401/403": a 400 or 404 for a made-up body or id is fine, so a
//   row rarely needs real data. Denied means 401 for anonymous and 403 for a signed-in role.
// - `request` (optional): builds the concrete request. Without it, every `{param}` becomes a random
//   UUID and POST/PUT/PATCH send `{}` as JSON. Use `f.ids` (made once before the walk, see
//   `MatrixFixtures`) or `f.product` to make what your route needs.
// - `freshSession: true` for routes that end the caller's session (sign-out): each role then calls
//   it with a session of its own, so the walk goes on.
// Requests for signed-in roles carry the session cookie and the CSRF token. A route missing here,
// or a row naming a route that no longer exists, fails the test.
import type { InjectOptions } from 'fastify';
import type { Role } from '../../src/auth/access.ts';
import type { TestSession } from '../support/auth.ts';
import type { startTestProduct } from '../support/product.ts';

export type Who = 'anonymous' | Role;

export const everyone: readonly Who[] = ['anonymous', 'admin', 'analyst', 'supplier', 'auditor'];
export const signedIn: readonly Who[] = ['admin', 'analyst', 'supplier', 'auditor'];

export type MatrixFixtures = {
  product: Awaited<ReturnType<typeof startTestProduct>>;
  /** A signed-in session per role (the supplier one belongs to `ids.supplierId`). */
  as: Record<Role, TestSession>;
  ids: {
    /** The supplier of the supplier user. */
    supplierId: string;
    /** An analyst's account (target of user administration). */
    userId: string;
    /** An API token of the analyst. */
    tokenId: string;
  };
};

export type MatrixRow = {
  allow: readonly Who[];
  request?: (f: MatrixFixtures) => Partial<InjectOptions>;
  freshSession?: boolean;
};

const sha256 = 'a'.repeat(64);

export const accessMatrix: Record<string, MatrixRow> = {
  // Public site, intake and platform
  'GET /': { allow: everyone },
  'GET /assets/site.css': { allow: everyone },
  'GET /healthz': { allow: everyone },
  'GET /readyz': { allow: everyone },
  'GET /.well-known/security.txt': { allow: everyone },
  'GET /security.txt': { allow: everyone },
  'GET /.well-known/openpgp-key.asc': { allow: everyone },
  'GET /policy': { allow: everyone },
  'GET /acknowledgments': { allow: everyone },
  'GET /report': { allow: everyone },
  'POST /report': {
    allow: everyone,
    request: () => ({
      payload: 'title=&description=',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  'POST /api/v1/reports': { allow: everyone },
  'GET /api/v1/reports/status/{token}': {
    allow: everyone,
    request: () => ({ url: '/api/v1/reports/status/x' }),
  },
  'GET /status/{token}': { allow: everyone, request: () => ({ url: '/status/x' }) },
  'POST /status/{token}/replies': {
    allow: everyone,
    request: () => ({
      url: '/status/x/replies',
      payload: 'body=',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  'POST /status/{token}/credit': {
    allow: everyone,
    request: () => ({
      url: '/status/x/credit',
      payload: 'credit=anonymous',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    }),
  },
  'GET /api/openapi.json': { allow: everyone },
  'GET /console': { allow: everyone },
  'GET /console/{*}': { allow: everyone, request: () => ({ url: '/console/' }) },

  // Accounts
  'POST /api/v1/auth/login': { allow: everyone },
  'GET /api/v1/auth/me': { allow: signedIn },
  'POST /api/v1/auth/logout': { allow: signedIn, freshSession: true },
  'POST /api/v1/auth/logout-everywhere': { allow: signedIn, freshSession: true },
  'POST /api/v1/auth/password': { allow: signedIn },
  'GET /api/v1/users': { allow: ['admin'] },
  'POST /api/v1/users': { allow: ['admin'] },
  'PATCH /api/v1/users/{userId}': {
    allow: ['admin'],
    request: (f) => ({ url: `/api/v1/users/${f.ids.userId}`, payload: { name: 'Renamed Analyst' } }),
  },
  'GET /api/v1/tokens': { allow: signedIn },
  'POST /api/v1/tokens': { allow: signedIn },
  'DELETE /api/v1/tokens/{tokenId}': { allow: signedIn },
  'GET /api/v1/audit': { allow: ['admin', 'auditor'] },

  // Suppliers (a supplier user sees only its own supplier: others' are 404, checked in the suppliers tests)
  'GET /api/v1/suppliers': { allow: signedIn },
  'POST /api/v1/suppliers': { allow: ['admin', 'analyst'] },
  'GET /api/v1/suppliers/{supplierId}': {
    allow: signedIn,
    request: (f) => ({ url: `/api/v1/suppliers/${f.ids.supplierId}` }),
  },
  'PATCH /api/v1/suppliers/{supplierId}': { allow: ['admin', 'analyst'] },
  'PUT /api/v1/suppliers/{supplierId}/models': { allow: ['admin', 'analyst'] },
  'GET /api/v1/me/supplier': { allow: ['supplier'] },
  'GET /api/v1/suppliers/{supplierId}/safeguards': {
    allow: signedIn,
    request: (f) => ({ url: `/api/v1/suppliers/${f.ids.supplierId}/safeguards` }),
  },
  'GET /api/v1/suppliers/{supplierId}/safeguards/history': {
    allow: signedIn,
    request: (f) => ({ url: `/api/v1/suppliers/${f.ids.supplierId}/safeguards/history` }),
  },
  'PUT /api/v1/suppliers/{supplierId}/safeguards/{itemKey}': { allow: ['admin', 'analyst'] },
  'POST /api/v1/suppliers/{supplierId}/safeguards/{itemKey}/evidence': {
    allow: ['admin', 'analyst', 'supplier'],
  },
  'GET /api/v1/suppliers/{supplierId}/safeguards/{itemKey}/evidence/{sha256}': {
    allow: signedIn,
    request: (f) => ({
      url: `/api/v1/suppliers/${f.ids.supplierId}/safeguards/sbom-with-firmware/evidence/${sha256}`,
    }),
  },

  // Inventory (a supplier reads only its own models and their firmware: others' are 404, checked in
  // test/inventory/supplier-scope.test.ts)
  'GET /api/v1/products': { allow: signedIn },
  'POST /api/v1/products': { allow: ['admin', 'analyst'] },
  'GET /api/v1/products/{productId}': { allow: signedIn },
  'PATCH /api/v1/products/{productId}': { allow: ['admin', 'analyst'] },
  'GET /api/v1/products/{productId}/models': { allow: signedIn },
  'POST /api/v1/products/{productId}/models': { allow: ['admin', 'analyst'] },
  'GET /api/v1/models/{modelId}': { allow: signedIn },
  'PATCH /api/v1/models/{modelId}': { allow: ['admin', 'analyst'] },
  'GET /api/v1/models/{modelId}/firmware': { allow: signedIn },
  'POST /api/v1/models/{modelId}/firmware': { allow: ['admin', 'analyst'] },
  'GET /api/v1/firmware/{firmwareId}': { allow: signedIn },
  'PATCH /api/v1/firmware/{firmwareId}': { allow: ['admin', 'analyst'] },
  'GET /api/v1/firmware/{firmwareId}/components': { allow: signedIn },
  'PUT /api/v1/firmware/{firmwareId}/sbom': { allow: ['admin', 'analyst', 'supplier'] },
  'GET /api/v1/components/search': {
    allow: signedIn,
    request: () => ({ url: '/api/v1/components/search?purl=pkg:generic/openssl&range=%3C3.0.7' }),
  },
  'GET /api/v1/inventory/export': { allow: signedIn },
  'POST /api/v1/inventory/import': { allow: ['admin', 'analyst'] },

  // Cases (a supplier reads only the cases assigned to its supplier, in a reduced view: others' are
  // 404, checked in test/cases/case-access.test.ts); incoming reports are for staff only
  'GET /api/v1/cases': { allow: signedIn },
  'POST /api/v1/cases': { allow: ['admin', 'analyst'] },
  'GET /api/v1/cases/{caseId}': { allow: signedIn },
  'GET /api/v1/cases/overdue': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/metrics/response-times': { allow: ['admin', 'analyst', 'auditor'] },
  'PATCH /api/v1/cases/{caseId}': { allow: ['admin', 'analyst'] },
  'POST /api/v1/cases/{caseId}/transitions': { allow: ['admin', 'analyst'] },
  'PUT /api/v1/cases/{caseId}/affects': { allow: ['admin', 'analyst'] },
  'POST /api/v1/cases/{caseId}/reports': { allow: ['admin', 'analyst'] },
  // Fleet coverage per case (test/updates/coverage.test.ts)
  'GET /api/v1/cases/{caseId}/coverage': { allow: ['admin', 'analyst', 'auditor'] },
  // Duplicates: suggestions for staff, merging for those who change cases (test/cases/duplicates*.test.ts)
  'GET /api/v1/cases/{caseId}/similar-cases': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/reports/{reportId}/similar-cases': { allow: ['admin', 'analyst', 'auditor'] },
  'POST /api/v1/cases/{caseId}/merge': {
    allow: ['admin', 'analyst'],
    request: () => ({
      url: `/api/v1/cases/${crypto.randomUUID()}/merge`,
      payload: { intoCaseId: crypto.randomUUID() },
    }),
  },
  // Supplier thread and internal notes: the route lets in every role that may use one of the two
  // threads; a supplier gets 404 for internal notes and for others' cases (test/cases/threads*.test.ts)
  'GET /api/v1/cases/{caseId}/threads/{thread}': {
    allow: signedIn,
    request: () => ({ url: `/api/v1/cases/${crypto.randomUUID()}/threads/supplier` }),
  },
  'POST /api/v1/cases/{caseId}/threads/{thread}': {
    allow: ['admin', 'analyst', 'supplier'],
    request: () => ({ url: `/api/v1/cases/${crypto.randomUUID()}/threads/supplier`, payload: { body: 'x' } }),
  },
  'GET /api/v1/cases/{caseId}/threads/{thread}/files/{fileId}': {
    allow: signedIn,
    request: () => ({
      url: `/api/v1/cases/${crypto.randomUUID()}/threads/supplier/files/${crypto.randomUUID()}`,
    }),
  },
  'POST /api/v1/cases/{caseId}/supplier-acknowledgement': { allow: ['supplier'] },
  // Reporter thread (a report outside the case is 404, checked in test/cases/reporter-thread.test.ts)
  'GET /api/v1/cases/{caseId}/reports/{reportId}/messages': { allow: ['admin', 'analyst', 'auditor'] },
  'POST /api/v1/cases/{caseId}/reports/{reportId}/messages': { allow: ['admin', 'analyst'] },
  'GET /api/v1/cases/{caseId}/reports/{reportId}/files/{fileId}': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/reports': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/reports/{reportId}': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/response-policy': { allow: ['admin', 'analyst', 'auditor'] },
  'PUT /api/v1/response-policy': { allow: ['admin'], request: () => ({ payload: { triageWithinDays: 0 } }) },

  // Webhooks (admins only; the webhook tests check what each route does)
  'GET /api/v1/webhooks': { allow: ['admin'] },
  'POST /api/v1/webhooks': { allow: ['admin'] },
  'PATCH /api/v1/webhooks/{webhookId}': { allow: ['admin'] },
  'DELETE /api/v1/webhooks/{webhookId}': { allow: ['admin'] },
  'GET /api/v1/webhooks/{webhookId}/deliveries': { allow: ['admin'] },
  'POST /api/v1/webhooks/{webhookId}/test': { allow: ['admin'] },

  // Firmware artifacts (supplier ownership and the "builds" rule: test/updates/artifacts.test.ts)
  'POST /api/v1/models/{modelId}/artifacts': {
    allow: ['admin', 'analyst', 'supplier'],
    request: () => ({
      url: `/api/v1/models/${crypto.randomUUID()}/artifacts?fileName=x.bin`,
      headers: { 'content-type': 'application/octet-stream' },
      payload: Buffer.from('firmware'),
    }),
  },
  'GET /api/v1/models/{modelId}/artifacts': { allow: signedIn },
  'GET /api/v1/artifacts/{artifactId}': { allow: signedIn },
  'GET /api/v1/artifacts/{artifactId}/content': { allow: signedIn },

  // Operations
  'GET /api/v1/users/assignable': { allow: ['admin', 'analyst', 'auditor'] },
  'GET /api/v1/jobs': { allow: ['admin', 'auditor'] },
  'POST /api/v1/jobs/{jobId}/retry': {
    allow: ['admin'],
    request: () => ({ url: '/api/v1/jobs/999999999/retry' }),
  },

  // Releases (supplier scope and input rules: test/updates/releases.test.ts)
  'POST /api/v1/models/{modelId}/releases': { allow: ['admin', 'analyst'] },
  'GET /api/v1/models/{modelId}/releases': { allow: signedIn },
  'GET /api/v1/releases/{releaseId}': { allow: signedIn },
  'POST /api/v1/releases/{releaseId}/withdraw': { allow: ['admin'] },
  // Rollouts (rules, state machine and the end-to-end rollout: test/updates/rollouts*.test.ts)
  'POST /api/v1/rollouts': { allow: ['admin', 'analyst'] },
  'POST /api/v1/rollouts/preview': { allow: ['admin', 'analyst'] },
  'GET /api/v1/rollouts': { allow: signedIn },
  'GET /api/v1/rollouts/{rolloutId}': { allow: signedIn },
  'POST /api/v1/rollouts/{rolloutId}/start': { allow: ['admin', 'analyst'] },
  'POST /api/v1/rollouts/{rolloutId}/pause': { allow: ['admin', 'analyst'] },
  'POST /api/v1/rollouts/{rolloutId}/resume': { allow: ['admin', 'analyst'] },
  'POST /api/v1/rollouts/{rolloutId}/abort': { allow: ['admin', 'analyst'] },

  // The TUF image repository: public, static-like files (test/updates/tuf-*.test.ts)
  'GET /tuf/metadata/{name}': { allow: everyone, request: () => ({ url: '/tuf/metadata/1.root.json' }) },
  'GET /tuf/targets/{product}/{model}/{counter}/{file}': {
    allow: everyone,
    request: () => ({ url: `/tuf/targets/p/m/1/${sha256}.x.bin` }),
  },

  // Device registry (supplier scope and import rules: test/fleet/devices.test.ts)
  'POST /api/v1/devices': { allow: ['admin', 'analyst'] },
  'POST /api/v1/devices/import': { allow: ['admin', 'analyst'] },
  'GET /api/v1/devices': { allow: signedIn },
  'GET /api/v1/devices/{deviceId}': { allow: signedIn },

  // Device protocol: public for the staff layer (devices authenticate themselves in a preHandler,
  // after body validation, so the empty default body is a 400 here). Device credentials, wrong
  // secrets and expired tokens: test/updates/director.test.ts
  'GET /device/v1/director-key': { allow: everyone },
  'POST /device/v1/session/challenge': { allow: everyone },
  'POST /device/v1/session': { allow: everyone },
  'POST /device/v1/check-in': { allow: everyone },
  'POST /device/v1/reports': { allow: everyone },
};
