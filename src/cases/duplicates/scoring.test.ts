import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  anyLexemeQuery,
  type CandidateDocument,
  prefilterQuery,
  queryLexemes,
  scoreCandidates,
  weighLexemes,
} from './scoring.ts';

const probe = (title: string[], body: [string, number][]) => [
  ...title.map((lexeme, i) => ({ lexeme, inTitle: true, count: 1, first: i + 1 })),
  ...body.map(([lexeme, count], i) => ({ lexeme, inTitle: false, count, first: i + 1 })),
];

// The worked example of docs/cases.md, "Duplicate suggestions".
const example = weighLexemes(
  queryLexemes(
    probe(
      ['camera', 'rtsp', 'overflow'],
      [
        ['crash', 1],
        ['long', 2],
        ['describ', 1],
        ['a', 1],
      ],
    ),
    'Camera RTSP overflow\nA crash on long DESCRIBE, very long',
  ),
  new Map([
    ['camera', 80],
    ['rtsp', 4],
    ['overflow', 30],
    ['crash', 60],
    ['long', 100],
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
    assert.equal(weight('rtsp'), (2 * Math.log(26)).toFixed(3));
    assert.equal(weight('describ'), Math.log(1 + 100 / 3).toFixed(3));
    assert.equal(weight('long'), Math.log(2).toFixed(3));
  });

  it('finds candidates by any rarer word, or by two commoner words together', () => {
    const many = Array.from({ length: 12 }, (_, i) => ({
      lexeme: `w${i}`,
      word: `w${i}`,
      inTitle: false,
      documentFrequency: i < 2 ? 1 : 20 - i,
      weight: 1,
    }));
    assert.equal(prefilterQuery(many), "'w11' | 'w10' | 'w9' | 'w8' | 'w7' | 'w6' | 'w5' | 'w4'");
    assert.equal(prefilterQuery(example), "'describ' | 'rtsp' | 'overflow' | 'crash' | 'camera'");
    const common = example.map((l) => ({ ...l, documentFrequency: 100 }));
    assert.equal(
      prefilterQuery(common),
      "('camera' & 'rtsp') | ('camera' & 'overflow') | ('rtsp' & 'overflow')",
    );
    assert.equal(prefilterQuery(common.slice(3, 4)), "'long'");
    const twoShared = example.map((l) => ({
      ...l,
      documentFrequency: { rtsp: 4, describ: 1, crash: 2 }[l.lexeme] ?? 100,
    }));
    assert.equal(
      prefilterQuery(twoShared),
      "'crash' | 'rtsp' | 'describ' | ('camera' & 'overflow') | ('camera' & 'long') | ('overflow' & 'long')",
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
    assert.equal(best?.score, 0.77);
    assert.deepEqual(best?.reasons, [
      '90% of the telling words are in report VR-2026-0007: RTSP, DESCRIBE, overflow, Camera',
      'Title 44% alike with the title of report VR-2026-0007',
      'Same product',
    ]);
    assert.equal(other?.caseId, '0002');
    assert.equal(other?.score, 0.137);
  });

  it('quotes lexemes so that none is read as a tsquery operator', () => {
    assert.equal(anyLexemeQuery(['rtsp', "it's", 'a\\b', 'x|y']), "'rtsp' | 'it''s' | 'a\\\\b' | 'x|y'");
  });
});
