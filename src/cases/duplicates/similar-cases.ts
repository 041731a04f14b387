// Duplicate suggestions: the cases most like a report (or like another case), best first, each with
// a score in [0, 1] and the reasons for it. Candidates are the cases still being worked on and those
// put to rest within the last `restingCaseWindowDays` days; see docs/cases.md for the formula.
import { type Principal, requireRole } from '../../auth/access.ts';
import type { Deps } from '../../deps.ts';
import { Invalid, NotFound } from '../../platform/errors.ts';
import {
  candidateDocuments,
  documentFrequencies,
  findCaseText,
  findReportText,
  probeLexemes,
  type ReportText,
} from './duplicate-store.ts';
import {
  anyLexemeQuery,
  prefilterQuery,
  queryLexemes,
  type SimilarCase,
  scoreCandidates,
  weighLexemes,
} from './scoring.ts';

/** Cases at rest (closed, duplicate, not a vulnerability, out of scope) are suggested this long after their last change. */
export const restingCaseWindowDays = 180;

/** A case's reports beyond this many (oldest first) are not read to describe it. */
const maxReportsPerCase = 20;

const staff = ['admin', 'analyst', 'auditor'] as const;

type Probe = { title: string; text: string; productIds: string[]; excludeCaseId: string | null };

/** The cases most like a report, leaving out the case the report is already in. */
export async function similarCasesForReport(
  deps: Deps,
  principal: Principal,
  reportId: string,
  limit: number,
): Promise<SimilarCase[]> {
  requireRole(principal, ...staff);
  const report = await findReportText(deps.db, reportId);
  if (!report) throw new NotFound('No such report');
  return similarCases(deps, limit, {
    title: report.title,
    text: await readableText(deps, report),
    productIds: report.product_id ? [report.product_id] : [],
    excludeCaseId: report.case_id,
  });
}

/** The cases most like a case: its title, summary and reports against every other case. */
export async function similarCasesForCase(
  deps: Deps,
  principal: Principal,
  caseId: string,
  limit: number,
): Promise<SimilarCase[]> {
  requireRole(principal, ...staff);
  const found = await findCaseText(deps.db, caseId);
  if (!found) throw new NotFound('No such case');
  const reports = found.reports.slice(0, maxReportsPerCase);
  const texts = [found.summary];
  for (const report of reports) texts.push(report.title, await readableText(deps, report));
  const productIds = new Set(found.affectedProductIds);
  for (const report of found.reports) if (report.product_id) productIds.add(report.product_id);
  return similarCases(deps, limit, {
    title: found.title,
    text: texts.join('\n'),
    productIds: [...productIds],
    excludeCaseId: caseId,
  });
}

/**
 * What the report says in clear: an encrypted description is decrypted with the server key; one
 * the key cannot read is left out (the report is then compared by its title, steps and impact).
 */
async function readableText(deps: Deps, report: ReportText): Promise<string> {
  let description = report.description;
  if (report.encrypted) {
    try {
      description = await deps.pgp.decrypt(report.description, 'description');
    } catch (error) {
      if (!(error instanceof Invalid)) throw error;
      description = '';
    }
  }
  return [description, report.steps ?? '', report.impact ?? ''].join('\n');
}

async function similarCases(deps: Deps, limit: number, probe: Probe): Promise<SimilarCase[]> {
  const lexemes = queryLexemes(
    await probeLexemes(deps.db, probe.title, probe.text),
    `${probe.title}\n${probe.text}`,
  );
  if (lexemes.length === 0) return [];
  const names = lexemes.map((lexeme) => lexeme.lexeme);
  const frequencies = await documentFrequencies(
    deps.db,
    names,
    names.map((name) => anyLexemeQuery([name])),
  );
  const weighted = weighLexemes(lexemes, frequencies);
  const restingSince = new Date(deps.clock().getTime() - restingCaseWindowDays * 24 * 60 * 60 * 1000);
  const documents = await candidateDocuments(deps.db, {
    prefilter: prefilterQuery(weighted),
    rankQuery: anyLexemeQuery(names),
    title: probe.title,
    lexemes: names,
    productIds: probe.productIds,
    excludeCaseId: probe.excludeCaseId,
    restingSince,
  });
  return scoreCandidates(documents, weighted).slice(0, limit);
}
