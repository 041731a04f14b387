import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  anyLexemeQuery,
  type CandidateDocument,
  prefilterLexemes,
  queryLexemes,
  scoreCandidates,
  weighLexemes,
} from './scoring.ts';

const tokens = (title: string[], body: string[]) => [
  ...title.map((lexeme) => ({ lexeme, token: lexeme.toUpperCase(), inTitle: true })),
  ...body.map((lexeme) => ({ lexeme, token: lexeme, inTitle: false })),
];

// The worked example of docs/cases.md, "Duplicate suggestions".
const example = weighLexemes(
  queryLexemes(tokens(['camera', 'rtsp', 'overflow'], ['crash', 'long', 'describ', 'long'])),
  new Map([
    ['camera', 150],
    ['rtsp', 4],
    ['overflow', 30],
    ['crash', 60],
    ['long', 200],
    ['describ', 3],
  ]),
);

const document = (caseId: string, over: Partial<CandidateDocument>): CandidateDocument => ({
  caseId,
  number: `CASE-2026-${caseId}`,
  caseTitle: `Case ${caseId}`,
  state: 'triage',
  sameProduct: false,
  trackingId: null,
  titleSimilarity: 0,
  matchedLexemes: [],
  ...over,
});

describe('duplicate scoring', () => {
  it('takes title words first, then text words by frequency, each once', () => {
    assert.deepEqual(
      example.map((l) => l.lexeme),
      ['camera', 'rtsp', 'overflow', 'long', 'crash', 'describ'],
    );
  });

  it('weighs words by rarity, title words twice', () => {
    const weight = (lexeme: string) => example.find((l) => l.lexeme === lexeme)?.weight.toFixed(3);
    assert.equal(weight('rtsp'), (2 * Math.log(51)).toFixed(3));
    assert.equal(weight('describ'), Math.log(1 + 200 / 3).toFixed(3));
    assert.equal(weight('long'), Math.log(2).toFixed(3));
  });

  it('finds candidates with every word rarer than the cap, or the three rarest when none is', () => {
    assert.deepEqual(
      prefilterLexemes(example)
        .map((l) => l.lexeme)
        .sort(),
      ['camera', 'crash', 'describ', 'overflow', 'rtsp'],
    );
    const common = example.map((l) => ({ ...l, documentFrequency: 200 + l.lexeme.length }));
    assert.deepEqual(
      prefilterLexemes(common).map((l) => l.lexeme),
      ['rtsp', 'long', 'crash'],
    );
  });

  it('scores the worked example as the docs say, best document and best title per case', () => {
    const [best, other] = scoreCandidates(
      [
        document('0001', { titleSimilarity: 0.1, matchedLexemes: ['camera'] }),
        document('0001', {
          trackingId: 'VR-2026-0007',
          titleSimilarity: 0.44,
          sameProduct: false,
          matchedLexemes: ['camera', 'describ', 'overflow', 'rtsp'],
        }),
        document('0002', { titleSimilarity: 0.25, matchedLexemes: ['long', 'crash'] }),
      ].map((doc) => (doc.caseId === '0001' ? { ...doc, sameProduct: true } : doc)),
      example,
    );
    assert.equal(best?.caseId, '0001');
    assert.equal(best?.score, 0.767);
    assert.deepEqual(best?.reasons, [
      '89% of the telling words are in report VR-2026-0007: RTSP, describ, OVERFLOW, CAMERA',
      'Title 44% alike with the title of report VR-2026-0007',
      'Same product',
    ]);
    assert.equal(other?.caseId, '0002');
    assert.equal(other?.score, 0.14);
  });

  it('quotes lexemes so that none is read as a tsquery operator', () => {
    assert.equal(anyLexemeQuery(['rtsp', "it's", 'a\\b', 'x|y']), "'rtsp' | 'it''s' | 'a\\\\b' | 'x|y'");
  });
});
