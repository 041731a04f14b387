// Clocks, CRA drafts and the response policy in the shapes of the HTTP API, with their schemas.
import { Type } from '@fastify/type-provider-typebox';
import type { CaseClock } from './clocks/case-clocks.ts';
import type { RegulatorDraft } from './clocks/regulator-drafts.ts';
import type { ResponsePolicy } from './clocks/response-policy.ts';

const When = Type.String({ format: 'date-time' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()]);

export const ClockView = Type.Object({
  key: Type.String({ examples: ['acknowledge', 'fix', 'cra-vulnerability-early-warning'] }),
  label: Type.String(),
  startsWhen: Type.String(),
  state: Type.Union([
    Type.Literal('running'),
    Type.Literal('met'),
    Type.Literal('overdue'),
    Type.Literal('met-late'),
    Type.Literal('not-started'),
  ]),
  startedAt: Nullable(When),
  dueAt: Nullable(When),
  metAt: Nullable(When),
  remainingMs: Nullable(Type.Number({ description: 'Negative once overdue; null when met or not started' })),
});

const iso = (value: Date | null) => (value ? value.toISOString() : null);

export const presentClock = (clock: CaseClock) => ({
  key: clock.key,
  label: clock.label,
  startsWhen: clock.startsWhen,
  state: clock.state,
  startedAt: iso(clock.startedAt),
  dueAt: iso(clock.dueAt),
  metAt: iso(clock.metAt),
  remainingMs: clock.remainingMs,
});

export const DraftView = Type.Object({
  report: Type.String(),
  title: Type.String(),
  article: Type.String(),
  dueAt: Nullable(When),
  complete: Type.Boolean(),
  fields: Type.Array(
    Type.Object({ key: Type.String(), label: Type.String(), text: Type.String(), known: Type.Boolean() }),
  ),
  text: Type.String(),
});

export const presentDraft = (draft: RegulatorDraft) => ({
  report: draft.report,
  title: draft.title,
  article: draft.article,
  dueAt: iso(draft.dueAt),
  complete: draft.complete,
  fields: draft.fields,
  text: draft.text,
});

const Days = Type.Integer({ minimum: 1 });

export const ResponsePolicyView = Type.Object({
  acknowledgeWithinBusinessDays: Days,
  triageWithinDays: Days,
  fixWithinDays: Type.Object({ critical: Days, high: Days, medium: Days, low: Days }),
  disclosureWithinDays: Days,
  timeZone: Type.String({ examples: ['Europe/Berlin'] }),
  workingDays: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
    description: '1 = Monday … 7 = Sunday',
  }),
  holidays: Type.Array(Type.String({ examples: ['2026-12-25'] })),
});

export const presentResponsePolicy = (policy: ResponsePolicy) => ({
  acknowledgeWithinBusinessDays: policy.acknowledgeWithinBusinessDays,
  triageWithinDays: policy.triageWithinDays,
  fixWithinDays: { ...policy.fixWithinDays },
  disclosureWithinDays: policy.disclosureWithinDays,
  timeZone: policy.timeZone,
  workingDays: [...policy.workingDays],
  holidays: [...policy.holidays],
});
