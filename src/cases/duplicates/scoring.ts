// How alike a case is to a report (or to another case): the pure half of duplicate suggestions.
// The store finds the words and the candidates; this file picks the telling words, weighs them and
// turns what the store measured into one score in [0, 1] with reasons a person can check.
// The formula is documented, with a worked example, in docs/cases.md ("Duplicate suggestions").
import type { CaseState } from '../workflow.ts';

/** Share of the score from the words in common, from title likeness and from the product. */
export const scoreWeights = { text: 0.6, title: 0.3, product: 0.1 } as const;

/** At most this many distinct words of the report (title words first) are compared. */
export const maxQueryLexemes = 24;
/**
 * Reports holding a word are counted up to this many; a word's weight is ln(1 + cap / count), so a
 * word in one report weighs 4.6, in 10 reports 2.4, in 100 or more 0.69. Counting stops at the cap
 * because each count walks the index and the rows it finds.
 */
export const documentFrequencyCap = 100;
/** A word of the title counts this many times a word of the text. */
export const titleLexemeFactor = 2;

/** A lexeme of the probe as `to_tsvector('english', …)` reads it: how often and first where. */
export type ProbeLexeme = { lexeme: string; inTitle: boolean; count: number; first: number };

export type QueryLexeme = { lexeme: string; word: string; inTitle: boolean };

/**
 * The words a search compares: every distinct lexeme of the title in order, then those of the text,
 * most frequent first, up to `maxQueryLexemes`. One-letter lexemes say nothing and are left out.
 * Each keeps a word of `text` it stands for, to show people ("describ" shows as "DESCRIBE").
 */
export function queryLexemes(lexemes: ProbeLexeme[], text: string): QueryLexeme[] {
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}_.\-/]*/gu) ?? [];
  return lexemes
    .filter((lexeme) => lexeme.lexeme.length >= 2)
    .sort((a, b) => Number(b.inTitle) - Number(a.inTitle) || b.count - a.count || a.first - b.first)
    .slice(0, maxQueryLexemes)
    .map(({ lexeme, inTitle }) => ({ lexeme, word: wordFor(lexeme, words), inTitle }));
}

/** The first word the lexeme is a stem of (English stems drop endings: "arbitrari" for "arbitrary"). */
function wordFor(lexeme: string, words: string[]): string {
  const stem = lexeme.length > 3 ? lexeme.slice(0, -1) : lexeme;
  const exact = words.find((word) => word.toLowerCase() === lexeme);
  return exact ?? words.find((word) => word.toLowerCase().startsWith(stem)) ?? lexeme;
}

export type WeightedLexeme = QueryLexeme & { documentFrequency: number; weight: number };

/** Weighs each word by how rare it is among reports (`documentFrequency`, counted up to the cap). */
export function weighLexemes(lexemes: QueryLexeme[], frequencies: Map<string, number>): WeightedLexeme[] {
  return lexemes.map((lexeme) => {
    const documentFrequency = Math.max(1, frequencies.get(lexeme.lexeme) ?? 0);
    const rarity = Math.log(1 + documentFrequencyCap / Math.min(documentFrequency, documentFrequencyCap));
    return { ...lexeme, documentFrequency, weight: rarity * (lexeme.inTitle ? titleLexemeFactor : 1) };
  });
}

/** Of the commoner words, this many (title words first) are paired up to find candidates. */
export const pairedCommonLexemes = 3;
/**
 * At most this many rarer words find candidates: more would not find more duplicates, and a long OR
 * makes the planner expect so many rows that it reads the whole table instead of the index.
 */
export const maxRareLexemes = 8;
/** With at least this many rare words found in other reports, commoner words are not paired up. */
export const minSharedRareLexemes = 3;

/** Rarest first, but a word in one report only (often the probe itself) after those found elsewhere. */
const byTellingness = (a: WeightedLexeme, b: WeightedLexeme) =>
  Number(a.documentFrequency === 1) - Number(b.documentFrequency === 1) ||
  a.documentFrequency - b.documentFrequency;

/**
 * The tsquery that finds candidates through the full-text indexes: any of the rarest words found in
 * fewer reports than the cap and, when too few of those are found elsewhere, any two of the first
 * few commoner words together (each alone would match most cases; two together seldom do).
 * Lexemes are quoted so that none is read as an operator.
 */
export function prefilterQuery(lexemes: WeightedLexeme[]): string {
  const rare = lexemes
    .filter((lexeme) => lexeme.documentFrequency < documentFrequencyCap)
    .sort(byTellingness)
    .slice(0, maxRareLexemes);
  const common = lexemes.filter((lexeme) => lexeme.documentFrequency >= documentFrequencyCap);
  // Pairs match far more rows than rare words and make the planner read whole tables: they are only
  // needed when too few rare words are found in any other report to find candidates by.
  const sharedRare = rare.filter((lexeme) => lexeme.documentFrequency > 1).length;
  const paired = (sharedRare < minSharedRareLexemes ? common : [])
    .slice(0, pairedCommonLexemes)
    .map((lexeme) => quoteLexeme(lexeme.lexeme));
  const pairs = paired.flatMap((left, i) => paired.slice(i + 1).map((right) => `(${left} & ${right})`));
  const alone = paired.length === 1 && rare.length === 0 ? paired : [];
  return [...rare.map((lexeme) => quoteLexeme(lexeme.lexeme)), ...pairs, ...alone].join(' | ');
}

const quoteLexeme = (lexeme: string) => `'${lexeme.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`;

/** A tsquery matching any of the lexemes. */
export function anyLexemeQuery(lexemes: string[]): string {
  return lexemes.map(quoteLexeme).join(' | ');
}

/** What the store measured for one document of a candidate: the case itself or one of its reports. */
export type CandidateDocument = {
  caseId: string;
  number: string;
  caseTitle: string;
  state: CaseState;
  /** The case affects a model of the probe's product (case document), or the report names it. */
  sameProduct: boolean;
  /** Null for the case's own title and summary. */
  trackingId: string | null;
  titleSimilarity: number;
  matchedLexemes: string[];
};

export type SimilarCase = {
  caseId: string;
  number: string;
  title: string;
  state: CaseState;
  score: number;
  reasons: string[];
};

/** Titles less alike than this are not worth a reason line (pg_trgm's own threshold is 0.3). */
const titleReasonThreshold = 0.2;

const round = (value: number, places: number) => Math.round(value * 10 ** places) / 10 ** places;
const percent = (value: number) => `${Math.round(value * 100)}%`;

/**
 * Scores each candidate case from its documents: the best document's share of the words' weight,
 * the best title likeness, and whether a product is shared; best first, ties by case number.
 */
export function scoreCandidates(documents: CandidateDocument[], lexemes: WeightedLexeme[]): SimilarCase[] {
  const byLexeme = new Map(lexemes.map((lexeme) => [lexeme.lexeme, lexeme]));
  const total = lexemes.reduce((sum, lexeme) => sum + lexeme.weight, 0);
  const cases = new Map<string, CandidateDocument[]>();
  for (const document of documents)
    cases.set(document.caseId, [...(cases.get(document.caseId) ?? []), document]);
  const scored = [...cases.values()].map((docs) => {
    const measured = docs.map((doc) => {
      const matched = doc.matchedLexemes
        .map((lexeme) => byLexeme.get(lexeme))
        .filter((lexeme) => lexeme !== undefined)
        .sort((a, b) => b.weight - a.weight);
      const text = total > 0 ? matched.reduce((sum, lexeme) => sum + lexeme.weight, 0) / total : 0;
      return { doc, matched, text };
    });
    const bestText = measured.reduce((best, next) => (next.text > best.text ? next : best));
    const bestTitle = docs.reduce((best, next) =>
      next.titleSimilarity > best.titleSimilarity ? next : best,
    );
    const first = docs[0] as CandidateDocument;
    const text = bestText.text;
    const title = Math.min(1, Math.max(0, bestTitle.titleSimilarity));
    const product = docs.some((doc) => doc.sameProduct) ? 1 : 0;
    const score = scoreWeights.text * text + scoreWeights.title * title + scoreWeights.product * product;
    const reasons: string[] = [];
    if (bestText.matched.length > 0) {
      const where = bestText.doc.trackingId === null ? 'the case' : `report ${bestText.doc.trackingId}`;
      const words = bestText.matched.slice(0, 6).map((lexeme) => lexeme.word);
      reasons.push(`${percent(text)} of the telling words are in ${where}: ${words.join(', ')}`);
    }
    if (title >= titleReasonThreshold) {
      const where =
        bestTitle.trackingId === null ? 'the case title' : `the title of report ${bestTitle.trackingId}`;
      reasons.push(`Title ${percent(title)} alike with ${where}`);
    }
    if (product === 1) reasons.push('Same product');
    return {
      caseId: first.caseId,
      number: first.number,
      title: first.caseTitle,
      state: first.state,
      score: round(Math.min(1, score), 3),
      reasons,
    };
  });
  return scored.sort((a, b) => b.score - a.score || a.number.localeCompare(b.number));
}
