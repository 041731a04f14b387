// Rollouts over HTTP: create (draft), preview, list, read with per-stage statistics and events, and
// start, pause, resume, abort. Staff change rollouts; auditors and the model's suppliers read them.
import { type FastifyPluginAsyncTypebox, type Static, Type } from '@fastify/type-provider-typebox';
import { type Access, type Principal, supplierScope } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { changeRollout, createRollout, getRollout, type RolloutAction } from './commands.ts';
import { previewRollout } from './preview.ts';
import { rolloutStats } from './stats.ts';
import { listRollouts, type Rollout, rolloutEvents } from './store.ts';

const readers: Access = { roles: ['admin', 'analyst', 'auditor', 'supplier'] };
const staff: Access = { roles: ['admin', 'analyst'] };
const tags = ['updates'];
const Id = Type.String({ format: 'uuid' });
const States = Type.Union([
  Type.Literal('draft'),
  Type.Literal('running'),
  Type.Literal('paused'),
  Type.Literal('halted'),
  Type.Literal('completed'),
  Type.Literal('aborted'),
]);

const Selector = Type.Object(
  {
    hardwareRevisions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 }),
    ),
    installedVersions: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 2000,
        description: 'A version range, intersected with installOver',
      }),
    ),
    tags: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 64 }), { maxItems: 100 })),
    regions: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone' }), {
        maxItems: 100,
      }),
    ),
  },
  { additionalProperties: false },
);
const Stage = Type.Object(
  {
    percent: Type.Number({ minimum: 0.01, maximum: 100, multipleOf: 0.01 }),
    minMinutes: Type.Integer({ minimum: 0, maximum: 525_600 }),
    minReports: Type.Integer({ minimum: 0, maximum: 10_000_000 }),
  },
  { additionalProperties: false },
);
const Stages = Type.Array(Stage, { minItems: 1, maxItems: 20 });
const Window = Type.Object(
  {
    start: Type.String({ pattern: '^\\d\\d:\\d\\d$', examples: ['01:00'] }),
    end: Type.String({ pattern: '^\\d\\d:\\d\\d$', examples: ['05:00'] }),
  },
  { additionalProperties: false, description: 'Local time in the device’s region' },
);
const Mode = Type.Union([Type.Literal('soft'), Type.Literal('forced'), Type.Literal('download-only')]);

const CreateBody = Type.Object(
  {
    releaseId: Id,
    selector: Type.Optional(Selector),
    stages: Stages,
    failureThreshold: Type.Number({ minimum: 0, maximum: 100, description: 'Percent of install reports' }),
    minReportsBeforeHalt: Type.Integer({ minimum: 1, maximum: 10_000_000 }),
    mode: Mode,
    maintenanceWindow: Type.Optional(Type.Union([Window, Type.Null()])),
  },
  { additionalProperties: false },
);

const StageStatsView = Type.Object({
  stage: Type.Integer(),
  percent: Type.Number(),
  offered: Type.Integer(),
  downloading: Type.Integer(),
  downloaded: Type.Integer(),
  installed: Type.Integer(),
  failed: Type.Integer(),
  reports: Type.Integer(),
  failureRate: Type.Number(),
});
const EventView = Type.Object({
  at: Type.String({ format: 'date-time' }),
  actor: Type.String(),
  action: Type.String(),
  from: Type.Union([Type.String(), Type.Null()]),
  to: Type.String(),
  stage: Type.Integer(),
  reason: Type.Union([Type.String(), Type.Null()]),
  detail: Type.Record(Type.String(), Type.Unknown()),
});
const RolloutView = Type.Object({
  id: Id,
  releaseId: Id,
  modelId: Id,
  releaseVersion: Type.String(),
  selector: Type.Object({
    hardwareRevisions: Type.Array(Type.String()),
    installedVersions: Type.String(),
    tags: Type.Array(Type.String()),
    regions: Type.Array(Type.String()),
  }),
  stages: Type.Array(Stage),
  failureThreshold: Type.Number(),
  minReportsBeforeHalt: Type.Integer(),
  mode: Mode,
  maintenanceWindow: Type.Union([Window, Type.Null()]),
  state: States,
  currentStage: Type.Integer({ description: 'Index into stages' }),
  stageStartedAt: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
  createdBy: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
});
const RolloutDetail = Type.Intersect([
  RolloutView,
  Type.Object({ stats: Type.Array(StageStatsView), events: Type.Array(EventView) }),
]);

const present = (rollout: Rollout): Static<typeof RolloutView> => ({
  id: rollout.id,
  releaseId: rollout.releaseId,
  modelId: rollout.modelId,
  releaseVersion: rollout.releaseVersion,
  selector: rollout.selector,
  stages: rollout.stages,
  failureThreshold: rollout.failureThreshold,
  minReportsBeforeHalt: rollout.minReportsBeforeHalt,
  mode: rollout.mode,
  maintenanceWindow: rollout.maintenanceWindow,
  state: rollout.state,
  currentStage: rollout.currentStage,
  stageStartedAt: rollout.stageStartedAt?.toISOString() ?? null,
  createdBy: rollout.createdBy,
  createdAt: rollout.createdAt.toISOString(),
});

export const rolloutRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const detail = async (rollout: Rollout) => ({
    ...present(rollout),
    stats: await rolloutStats(deps.db, rollout),
    events: (await rolloutEvents(deps.db, rollout.id)).map((event) => ({
      at: event.at.toISOString(),
      actor: event.actorLabel,
      action: event.action,
      from: event.fromState,
      to: event.toState,
      stage: event.stage,
      reason: event.reason,
      detail: event.detail,
    })),
  });

  app.post(
    '/api/v1/rollouts',
    {
      config: { access: staff },
      schema: {
        tags,
        summary: 'Create a rollout of a release (as a draft)',
        body: CreateBody,
        response: { 201: RolloutDetail, ...errorResponses(400, 401, 403, 409) },
      },
    },
    async (request, reply) => {
      const rollout = await createRollout(deps, request.principal as Principal, request.body);
      return reply.code(201).send(await detail(rollout));
    },
  );

  app.post(
    '/api/v1/rollouts/preview',
    {
      config: { access: staff },
      schema: {
        tags,
        summary: 'How many registered devices a rollout would select, and how many each stage would reach',
        body: Type.Object(
          { releaseId: Id, selector: Type.Optional(Selector), stages: Stages },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            selected: Type.Integer(),
            stages: Type.Array(Type.Object({ percent: Type.Number(), devices: Type.Integer() })),
          }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => previewRollout(deps, request.principal as Principal, request.body),
  );

  app.get(
    '/api/v1/rollouts',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'Rollouts, newest first (at most 500)',
        querystring: Type.Object(
          { state: Type.Optional(States), releaseId: Type.Optional(Id) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({ items: Type.Array(RolloutView) }),
          ...errorResponses(400, 401, 403),
        },
      },
    },
    async (request) => ({
      items: (
        await listRollouts(deps.db, supplierScope(request.principal as Principal), {
          state: request.query.state,
          releaseId: request.query.releaseId,
        })
      ).map(present),
    }),
  );

  app.get(
    '/api/v1/rollouts/:rolloutId',
    {
      config: { access: readers },
      schema: {
        tags,
        summary: 'One rollout with its per-stage statistics and its events',
        params: Type.Object({ rolloutId: Id }),
        response: { 200: RolloutDetail, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) =>
      detail(await getRollout(deps, request.principal as Principal, request.params.rolloutId)),
  );

  for (const action of ['start', 'pause', 'resume', 'abort'] as RolloutAction[]) {
    app.post(
      `/api/v1/rollouts/:rolloutId/${action}`,
      {
        config: { access: staff },
        schema: {
          tags,
          summary: `${action[0]?.toUpperCase()}${action.slice(1)} a rollout`,
          description:
            action === 'resume'
              ? 'Resuming a halted rollout needs a reason: what the review of the failures found.'
              : action === 'abort'
                ? 'Needs a reason. An aborted rollout offers nothing more and cannot be started again.'
                : undefined,
          params: Type.Object({ rolloutId: Id }),
          body: Type.Object(
            { reason: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })) },
            { additionalProperties: false },
          ),
          response: { 200: RolloutDetail, ...errorResponses(400, 401, 403, 404, 409) },
        },
      },
      async (request) =>
        detail(
          await changeRollout(
            deps,
            request.principal as Principal,
            request.params.rolloutId,
            action,
            request.body.reason,
          ),
        ),
    );
  }
};
