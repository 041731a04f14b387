// The inbox query: cases filtered (state, open, overdue, severity, analyst, supplier, product, words),
// in a total order (each sort ends with the id, so pages never overlap or skip), with the total.
import type { Db } from '../../db/database.ts';
import type { CaseStateColumn } from '../../db/schema.ts';
import type { Page } from '../../platform/paging.ts';
import { restingStates } from '../clock-store.ts';
import { type CaseRow, caseColumns, casesWithNames } from '../store.ts';
import { matchingCaseIds } from './case-search.ts';

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

function filtered(db: Db, filter: InboxFilter, reader: InboxReader, now: Date) {
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
  if (filter.q !== undefined) {
    query = query.where('cases.id', 'in', matchingCaseIds(db, filter.q, reader.searchesReports));
  }
  return query;
}

const selectedRows = (query: ReturnType<typeof filtered>) => query.select(caseColumns);
type Selected = ReturnType<typeof selectedRows>;

function sorted(query: Selected, sort: InboxSort): Selected {
  switch (sort) {
    case 'next-deadline':
      return query.orderBy('cases.next_due_at', (ob) => ob.asc().nullsLast()).orderBy('cases.id');
    case 'updated':
      return query.orderBy('cases.updated_at', 'desc').orderBy('cases.id');
    case 'created':
      return query.orderBy('cases.created_at', 'desc').orderBy('cases.id');
    case 'severity':
      return query.orderBy('cases.cvss_score', (ob) => ob.desc().nullsLast()).orderBy('cases.id');
  }
}

/** A page of the inbox at `now` (which decides what is overdue), and how many cases match in all. */
export async function listInbox(
  db: Db,
  filter: InboxFilter,
  reader: InboxReader,
  page: Page,
  now: Date,
): Promise<{ rows: CaseRow[]; total: number }> {
  const query = filtered(db, filter, reader, now);
  const [rows, count] = await Promise.all([
    sorted(selectedRows(query), filter.sort ?? 'next-deadline')
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    query.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.n) };
}
