// Cases over HTTP: the inbox list, opening a case from a report, one case, its state moves, field
// changes, affected models and attached duplicate reports.
import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { Principal } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { errorResponses } from '../../platform/http-errors.ts';
import { LimitQuery, PageOf, page } from '../../platform/paging.ts';
import { countBeyondPage, inboxSorts } from '../inbox/inbox-store.ts';
import { caseReaders, caseWriters } from '../policy.ts';
import {
  CaseStateSchema,
  CaseSummaryView,
  CaseView,
  presentCase,
  presentCaseSummary,
  SeveritySchema,
} from '../presenters.ts';
import * as cases from '../service.ts';

const tags = ['cases'];
const Uuid = Type.String({ format: 'uuid' });
const CaseParams = Type.Object({ caseId: Uuid });

const Flag = (description: string) =>
  Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description }));

const CaseQuery = Type.Object(
  {
    limit: LimitQuery('Cases'),
    offset: Type.Optional(Type.String({ pattern: '^[0-9]{1,7}$' })),
    q: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 200,
        description:
          'Full text (English): words, "a phrase", -word, OR, over number, title and summary (staff: and the reports\' text); a case number finds that case',
      }),
    ),
    state: Type.Optional(CaseStateSchema),
    open: Flag(
      'true: cases not at rest (not closed, not-a-vulnerability, out-of-scope or duplicate); false: at rest',
    ),
    overdue: Flag('true: a deadline has passed; false: none has'),
    severity: Type.Optional(SeveritySchema),
    assignee: Type.Optional(Type.String({ format: 'uuid', description: 'User id of the analyst' })),
    supplier: Type.Optional(Type.String({ format: 'uuid' })),
    product: Type.Optional(
      Type.String({
        format: 'uuid',
        description: 'Cases affecting one of its models, or reported against it',
      }),
    ),
    sort: Type.Optional(
      Type.Union(
        inboxSorts.map((sort) => Type.Literal(sort)),
        {
          description:
            'next-deadline (default: earliest deadline first, cases without one last), updated (latest change first), created (newest first), severity (highest CVSS score first, unscored last); ties by id',
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const CasePage = Type.Object({
  ...PageOf(CaseSummaryView).properties,
  totalCapped: Type.Boolean({
    description: `true: more cases match than were counted (${countBeyondPage} beyond this page); total is a lower bound`,
  }),
});

const flag = (value: 'true' | 'false' | undefined) => (value === undefined ? undefined : value === 'true');

const NewCase = Type.Object(
  {
    reportId: Uuid,
    title: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: "Default: the report's title" }),
    ),
  },
  { additionalProperties: false },
);

const TransitionBody = Type.Object(
  {
    to: Type.String({ description: 'The next state (see docs/cases.md)' }),
    reason: Type.Optional(Type.String({ maxLength: 5000 })),
  },
  { additionalProperties: false },
);

const Instant = (description: string) =>
  Type.Union([Type.String({ format: 'date-time', description }), Type.Null()]);

const CaseChanges = Type.Object(
  {
    title: Type.Optional(Type.String({ minLength: 1, maxLength: 300 })),
    summary: Type.Optional(Type.String({ maxLength: 20000 })),
    assigneeUserId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    supplierId: Type.Optional(Type.Union([Uuid, Type.Null()])),
    cvssVector: Type.Optional(
      Type.Union([
        Type.String({ maxLength: 300, examples: ['CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H'] }),
        Type.Null(),
      ]),
    ),
    cweId: Type.Optional(Type.Union([Type.String({ maxLength: 20, examples: ['CWE-787'] }), Type.Null()])),
    fixAvailableAt: Type.Optional(Instant('A fix or mitigation is available to users')),
    disclosedAt: Type.Optional(Instant('Publicly disclosed')),
    agreedDisclosureAt: Type.Optional(Instant('Disclosure date agreed with the reporter')),
    activelyExploitedSince: Type.Optional(Instant('Aware that it is actively exploited (starts CRA clocks)')),
    severeIncidentSince: Type.Optional(Instant('Aware of a severe incident (starts CRA clocks)')),
    craReportsSubmittedAt: Type.Optional(
      Type.Record(Type.String({ maxLength: 60 }), Instant('When this CRA report was submitted'), {
        description: 'CRA report key (e.g. cra-vulnerability-early-warning) → instant; null unsets',
        maxProperties: 6,
      }),
    ),
  },
  { additionalProperties: false, minProperties: 1 },
);

const AffectsBody = Type.Object(
  {
    affects: Type.Array(
      Type.Object(
        {
          modelId: Uuid,
          versionRange: Type.String({ maxLength: 2000, examples: ['>= 2.0.0, < 2.4.1'] }),
          fixedIn: Type.Optional(Type.Union([Type.String({ maxLength: 100 }), Type.Null()])),
        },
        { additionalProperties: false },
      ),
      { maxItems: 500 },
    ),
  },
  { additionalProperties: false },
);

const AttachBody = Type.Object({ reportId: Uuid }, { additionalProperties: false });

export const caseRoutes: FastifyPluginAsyncTypebox<{ deps: Deps }> = async (app, { deps }) => {
  const detail = async (principal: Principal, caseId: string) =>
    presentCase(await cases.getCase(deps, principal, caseId), principal);

  app.get(
    '/api/v1/cases',
    {
      config: { access: caseReaders },
      schema: {
        tags,
        summary: 'The inbox: cases filtered and searched, earliest deadline first by default',
        description: 'A supplier sees only the cases assigned to it, and searches only their own fields.',
        querystring: CaseQuery,
        response: { 200: CasePage, ...errorResponses(400, 401, 403) },
      },
    },
    async (request) => {
      const paging = page(request.query);
      const principal = request.principal as Principal;
      const { limit: _l, offset: _o, open, overdue, ...rest } = request.query;
      const filter = { ...rest, open: flag(open), overdue: flag(overdue) };
      const { rows, total, totalCapped } = await cases.listCases(deps, principal, filter, paging);
      const now = deps.clock();
      const items = rows.map((row) => presentCaseSummary(row, principal, now));
      return { items, total, totalCapped, ...paging };
    },
  );

  app.post(
    '/api/v1/cases',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: 'Open a case from an incoming report',
        body: NewCase,
        response: { 201: CaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request, reply) => {
      const principal = request.principal as Principal;
      const id = await cases.openCase(deps, principal, request.body);
      return reply.code(201).send(await detail(principal, id));
    },
  );

  app.get(
    '/api/v1/cases/:caseId',
    {
      config: { access: caseReaders },
      schema: {
        tags,
        summary: 'One case with its reports, affected models and event timeline',
        params: CaseParams,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => detail(request.principal as Principal, request.params.caseId),
  );

  app.post(
    '/api/v1/cases/:caseId/transitions',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: 'Move a case to another state of the workflow',
        description: 'Illegal moves answer 409; moves that need a reason answer 400 without one.',
        params: CaseParams,
        body: TransitionBody,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      await cases.transitionCase(deps, principal, request.params.caseId, request.body);
      return detail(principal, request.params.caseId);
    },
  );

  app.patch(
    '/api/v1/cases/:caseId',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary:
          'Change title, summary, analyst, supplier, CVSS vector, CWE or the dates the clocks run on (only the fields given)',
        params: CaseParams,
        body: CaseChanges,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      await cases.updateCase(deps, principal, request.params.caseId, request.body);
      return detail(principal, request.params.caseId);
    },
  );

  app.put(
    '/api/v1/cases/:caseId/affects',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: 'Replace the models and firmware version ranges the case affects',
        params: CaseParams,
        body: AffectsBody,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      await cases.setAffects(deps, principal, request.params.caseId, request.body.affects);
      return detail(principal, request.params.caseId);
    },
  );

  app.post(
    '/api/v1/cases/:caseId/reports',
    {
      config: { access: caseWriters },
      schema: {
        tags,
        summary: 'Attach another report to the case as a duplicate (both reports are kept)',
        params: CaseParams,
        body: AttachBody,
        response: { 200: CaseView, ...errorResponses(400, 401, 403, 404, 409) },
      },
    },
    async (request) => {
      const principal = request.principal as Principal;
      await cases.attachReport(deps, principal, request.params.caseId, request.body.reportId);
      return detail(principal, request.params.caseId);
    },
  );
};
