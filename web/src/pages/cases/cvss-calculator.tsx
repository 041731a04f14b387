// A CVSS 3.1 and 4.0 base-metric calculator: choose each metric from the values the specification
// defines, or paste a vector; the vector, score and rating are computed in the browser with
// ae-cvss-calculator, the library the server scores with (src/platform/cvss.ts).
import { Cvss3P1, Cvss4P0 } from 'ae-cvss-calculator';
import { useId, useMemo, useState } from 'react';
import type { Severity } from '../../types.ts';
import { SeverityBadge } from './case-text.tsx';

type Version = '3.1' | '4.0';
type Metric = { short: string; name: string; group: string; values: { short: string; name: string }[] };

const classes = { '3.1': Cvss3P1, '4.0': Cvss4P0 } as const;

/** The base metrics of a version, in vector order, without "Not Defined" and hidden values. */
function baseMetrics(version: Version): Metric[] {
  const vector = new classes[version]();
  for (const [category, components] of vector.getRegisteredComponents()) {
    if (category.name !== 'base') continue;
    return components.map((c) => ({
      short: c.shortName,
      name: c.name,
      group: c.subCategory ?? '',
      values: c.values
        .filter((v) => v.shortName !== 'X' && !v.hide)
        .map((v) => ({ short: v.shortName, name: v.name })),
    }));
  }
  return [];
}

const metricsOf = { '3.1': baseMetrics('3.1'), '4.0': baseMetrics('4.0') };

export function ratingOf(score: number): Severity {
  if (score === 0) return 'none';
  if (score < 4) return 'low';
  if (score < 7) return 'medium';
  if (score < 9) return 'high';
  return 'critical';
}

type Parsed = { version: Version; values: Record<string, string> } | { error: string };

/** Reads a pasted vector into chosen values, or says why it cannot. */
export function parseVector(input: string): Parsed {
  const text = input.trim();
  const match = /^CVSS:(3\.1|4\.0)\/(.+)$/.exec(text);
  const version = match?.[1] as Version | undefined;
  if (!match || !version) return { error: 'Paste a vector that starts with CVSS:3.1/ or CVSS:4.0/.' };
  const values: Record<string, string> = {};
  const metrics = metricsOf[version];
  for (const part of (match[2] ?? '').split('/')) {
    const [key, value] = part.split(':');
    const metric = metrics.find((m) => m.short === key);
    if (!metric) continue; // threat, environmental and supplemental metrics are kept out of the base
    if (!value || !metric.values.some((v) => v.short === value))
      return { error: `${key}:${value ?? ''} is not a value CVSS ${version} defines.` };
    values[metric.short] = value;
  }
  try {
    new classes[version](text);
  } catch {
    return { error: 'This is not a well-formed CVSS vector.' };
  }
  return { version, values };
}

export type Scored = { vector: string; score: number; rating: Severity } | null;

/** The vector of the chosen values and its base score, once every base metric is chosen. */
export function score(version: Version, values: Record<string, string>): { vector: string; scored: Scored } {
  const metrics = metricsOf[version];
  const vector = `CVSS:${version}/${metrics.map((m) => `${m.short}:${values[m.short] ?? 'X'}`).join('/')}`;
  if (!metrics.every((m) => values[m.short])) return { vector, scored: null };
  const scores = new classes[version](vector).calculateScores();
  const base = Math.round((scores.base ?? scores.overall) * 10) / 10;
  return { vector, scored: { vector, score: base, rating: ratingOf(base) } };
}

export function CvssCalculator({
  initial,
  busy,
  onSave,
}: {
  initial: string | null;
  busy: boolean;
  onSave: (vector: string | null) => void;
}) {
  const start = useMemo(() => (initial ? parseVector(initial) : null), [initial]);
  const [version, setVersion] = useState<Version>(start && 'version' in start ? start.version : '3.1');
  const [values, setValues] = useState<Record<string, string>>(
    start && 'values' in start ? start.values : {},
  );
  const [pasted, setPasted] = useState('');
  const [pasteError, setPasteError] = useState<string | null>(null);
  const id = useId();
  const { vector, scored } = score(version, values);
  const metrics = metricsOf[version];

  const applyPasted = () => {
    const parsed = parseVector(pasted);
    if ('error' in parsed) return setPasteError(parsed.error);
    setPasteError(null);
    setVersion(parsed.version);
    setValues(parsed.values);
  };

  return (
    <div className="cvss-calculator">
      <fieldset className="version-choice">
        <legend>CVSS version</legend>
        {(['3.1', '4.0'] as const).map((v) => (
          <label key={v} className="check">
            <input
              type="radio"
              name={`${id}-version`}
              checked={version === v}
              onChange={() => {
                setVersion(v);
                setValues({});
              }}
            />
            CVSS {v}
          </label>
        ))}
      </fieldset>
      <div className="metrics">
        {metrics.map((metric) => (
          <div className="field metric" key={metric.short}>
            <label htmlFor={`${id}-${metric.short}`}>
              {metric.name} ({metric.short})
              {metric.group && <span className="muted small"> · {metric.group}</span>}
            </label>
            <select
              id={`${id}-${metric.short}`}
              value={values[metric.short] ?? ''}
              onChange={(e) => setValues({ ...values, [metric.short]: e.target.value })}
            >
              <option value="">Choose…</option>
              {metric.values.map((v) => (
                <option key={v.short} value={v.short}>
                  {v.name} ({v.short})
                </option>
              ))}
            </select>
          </div>
        ))}
      </div>
      <div className="cvss-result" aria-live="polite">
        <code id={`${id}-vector`} className="cvss-vector">
          {vector}
        </code>
        <p>
          {scored ? (
            <>
              Score <SeverityBadge severity={scored.rating} score={scored.score} />
            </>
          ) : (
            <span className="muted">Choose every metric to see the score.</span>
          )}
        </p>
      </div>
      <div className="field">
        <label htmlFor={`${id}-paste`}>Or paste a vector</label>
        <div className="inline-form">
          <input
            id={`${id}-paste`}
            className="grow"
            type="text"
            value={pasted}
            placeholder="CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"
            onChange={(e) => setPasted(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                applyPasted();
              }
            }}
          />
          <button type="button" className="secondary" onClick={applyPasted}>
            Use vector
          </button>
        </div>
        {pasteError && (
          <p className="error" role="alert">
            {pasteError}
          </p>
        )}
      </div>
      <div className="actions">
        <button type="button" disabled={busy || !scored} onClick={() => scored && onSave(scored.vector)}>
          {busy ? 'Saving…' : 'Save CVSS vector'}
        </button>
        {initial && (
          <button type="button" className="link-button" disabled={busy} onClick={() => onSave(null)}>
            Remove the vector
          </button>
        )}
      </div>
    </div>
  );
}
