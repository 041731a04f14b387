// The inbox query: cases filtered (state, open, overdue, severity, analyst, supplier, product, words),
// in a total order (each sort ends with the id, so pages never overlap or skip), with the number of
// matches counted up to a cap: counting every match of a common word in 100,000 cases would cost more
// than finding the page (docs/benchmarks.md, inbox).
import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { CaseStateColumn } from '../../db/schema.ts';
import type { Page } from '../../platform/paging.ts';
import { restingStates } from '../clock-store.ts';
import { type CaseRow, caseColumns, casesWithNames } from '../store.ts';
import { caseTextMatches, reportTextMatches } from './case-search.ts';

export const inboxSorts = ['next-deadline', 'updated', 'created', 'severity'] as const;
export type InboxSort = (typeof inboxSorts)[number];

type SeverityColumn = NonNullable<CaseRow['cvss_severity']>;

export type InboxFilter = {
  state?: CaseStateColumn | undefined;
  /** true: not at rest (closed, not-a-vulnerability, out-of-scope, duplicate); false: at rest. */
  open?: boolean | undefined;
  /** true: a deadline has passed (next_due_at before now); false: none has. */
  overdue?: boolean | undefined;
  severity?: SeverityColumn | undefined;
  assignee?: string | undefined;
  supplier?: string | undefined;
  product?: string | undefined;
  /** Words, a "phrase", -excluded words or OR (websearch syntax), or a case number. */
  q?: string | undefined;
  sort?: InboxSort | undefined;
};

/** Who is asking: a supplier's scope limits the cases, and only staff search the reports' text. */
export type InboxReader = { supplierId: string | null; searchesReports: boolean };

/** Matches are counted up to this many beyond the page; past it, total is a lower bound. */
export const countBeyondPage = 200;

function filtered(
  db: Db,
  filter: InboxFilter,
  reader: InboxReader,
  now: Date,
  match: RawBuilder<boolean> | null,
) {
  let query = casesWithNames(db);
  if (reader.supplierId !== null) query = query.where('cases.supplier_id', '=', reader.supplierId);
  if (filter.state) query = query.where('cases.state', '=', filter.state);
  if (filter.open !== undefined) {
    query = query.where('cases.state', filter.open ? 'not in' : 'in', [...restingStates]);
  }
  if (filter.overdue === true) query = query.where('cases.next_due_at', '<', now);
  if (filter.overdue === false) {
    query = query.where((eb) =>
      eb.or([eb('cases.next_due_at', 'is', null), eb('cases.next_due_at', '>=', now)]),
    );
  }
  if (filter.severity) query = query.where('cases.cvss_severity', '=', filter.severity);
  if (filter.assignee) query = query.where('cases.assignee_user_id', '=', filter.assignee);
  if (filter.supplier) query = query.where('cases.supplier_id', '=', filter.supplier);
  if (filter.product) {
    const productId = filter.product;
    query = query.where((eb) =>
      eb.or([
        eb.exists(
          eb
            .selectFrom('case_affects')
            .innerJoin('models', 'models.id', 'case_affects.model_id')
            .select('case_affects.id')
            .whereRef('case_affects.case_id', '=', 'cases.id')
            .where('models.product_id', '=', productId),
        ),
        eb.exists(
          eb
            .selectFrom('case_reports')
            .innerJoin('reports', 'reports.id', 'case_reports.report_id')
            .select('case_reports.report_id')
            .whereRef('case_reports.case_id', '=', 'cases.id')
            .where('reports.product_id', '=', productId),
        ),
      ]),
    );
  }
  return match ? query.where(match) : query;
}

/**
 * The search conditions, one query branch each (see case-search.ts); one branch without words.
 * `common`: the case text alone matched at least the cap.
 */
function branchesOf(
  filter: InboxFilter,
  reader: InboxReader,
  common: boolean,
): (RawBuilder<boolean> | null)[] {
  if (filter.q === undefined) return [null];
  const q = filter.q;
  return reader.searchesReports ? [caseTextMatches(q), reportTextMatches(q, common)] : [caseTextMatches(q)];
}

const orderOf: Record<InboxSort, RawBuilder<unknown>[]> = {
  'next-deadline': [sql`cases.next_due_at asc nulls last`, sql`cases.id`],
  updated: [sql`cases.updated_at desc`, sql`cases.id`],
  created: [sql`cases.created_at desc`, sql`cases.id`],
  severity: [sql`cases.cvss_score desc nulls last`, sql`cases.id`],
};

const sorted = <Q extends { orderBy(expression: RawBuilder<unknown>): Q }>(query: Q, sort: InboxSort): Q =>
  orderOf[sort].reduce((ordered, key) => ordered.orderBy(key), query);

/** How many cases match at most: beyond it, total is a lower bound. */
const capOf = (page: Page) => page.offset + page.limit + countBeyondPage;

/** Counts the cases up to the cap, over the given search branches (the first only, or all). */
function countQuery(
  db: Db,
  filter: InboxFilter,
  reader: InboxReader,
  page: Page,
  now: Date,
  branches: number,
  common: boolean,
) {
  const counted = branchesOf(filter, reader, common)
    .slice(0, branches)
    .map((match, i) =>
      db
        .selectFrom(
          filtered(db, filter, reader, now, match).select('cases.id').limit(capOf(page)).as(`b${i}`),
        )
        .select(`b${i}.id as id`),
    );
  const matches = counted
    .slice(1)
    .reduce((union, next) => union.union(next), counted[0] as (typeof counted)[0]);
  return db.selectFrom(matches.as('matches')).select((eb) => eb.fn.countAll<number>().as('n'));
}

/**
 * The statements of an inbox page, unexecuted (the benchmark explains them): `count` over the case
 * text (or the filters alone), `unionCount` over every branch, and the page, given whether the
 * first count reached the cap (`common`).
 */
export function inboxQueries(
  db: Db,
  filter: InboxFilter,
  reader: InboxReader,
  page: Page,
  now: Date,
  common: boolean,
) {
  const sort = filter.sort ?? 'next-deadline';
  const matches = branchesOf(filter, reader, common);
  const count = countQuery(db, filter, reader, page, now, 1, common);
  const unionCount =
    matches.length > 1 ? countQuery(db, filter, reader, page, now, matches.length, common) : null;
  const branches = matches.map((match) => filtered(db, filter, reader, now, match));
  const [only] = branches;
  if (branches.length === 1 && only) {
    const rows = sorted(only.select(caseColumns), sort).limit(page.limit).offset(page.offset);
    return { rows, count, unionCount, cap: capOf(page) };
  }
  // Each branch finds the first offset + limit of its own; the page is the first of them all.
  const firsts = branches.map((branch, i) =>
    db
      .selectFrom(
        sorted(branch.select('cases.id'), sort)
          .limit(page.offset + page.limit)
          .as(`p${i}`),
      )
      .select(`p${i}.id as id`),
  );
  const ids = firsts.slice(1).reduce((union, next) => union.union(next), firsts[0] as (typeof firsts)[0]);
  const rows = sorted(casesWithNames(db).select(caseColumns).where('cases.id', 'in', ids), sort)
    .limit(page.limit)
    .offset(page.offset);
  return { rows, count, unionCount, cap: capOf(page) };
}

export type InboxPage = {
  rows: CaseRow[];
  /** Matches across all pages, or at least this many when `totalCapped`. */
  total: number;
  totalCapped: boolean;
};

/** A page of the inbox at `now` (which decides what is overdue), and how many cases match in all. */
export async function listInbox(
  db: Db,
  filter: InboxFilter,
  reader: InboxReader,
  page: Page,
  now: Date,
): Promise<InboxPage> {
  const cap = capOf(page);
  // The case text (or the filters alone) counted first: it says whether the words are common,
  // which decides how the reports are searched, and when it reaches the cap so does the union.
  const first = Number(
    (await countQuery(db, filter, reader, page, now, 1, false).executeTakeFirstOrThrow()).n,
  );
  const queries = inboxQueries(db, filter, reader, page, now, first >= cap);
  const countAll = async () =>
    first >= cap || !queries.unionCount
      ? first
      : Number((await queries.unionCount.executeTakeFirstOrThrow()).n);
  const [rows, n] = await Promise.all([queries.rows.execute(), countAll()]);
  return { rows, total: Math.min(n, cap), totalCapped: n >= cap };
}
