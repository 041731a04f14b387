// A plain inline SVG chart of one measure per month: a bar for the median and a marker for the 90th
// percentile. Drawn at the width it is given on screen, so its text stays readable on a phone; the
// table next to it holds the same numbers for screen readers and for copying.
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { formatHours, type MeasureStats, monthLabel, shortMonth } from './types.ts';

export type ChartPoint = { month: string; stats: MeasureStats };

const HEIGHT = 220;
const MARGIN = { top: 14, right: 12, bottom: 40, left: 46 };
const LABEL_WIDTH = 44;

/** The width of an element in CSS pixels, kept current as the window changes. */
function useWidth(fallback: number) {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    setWidth(element.clientWidth || fallback);
    const observer = new ResizeObserver((entries) => {
      const box = entries[0]?.contentRect;
      if (box && box.width > 0) setWidth(Math.floor(box.width));
    });
    observer.observe(element);
    return () => observer.disconnect();
  }, [fallback]);
  return { ref, width };
}

/** A round step for about four grid lines up to `max`: 1, 2, 2.5 or 5 times a power of ten. */
function niceStep(max: number): number {
  const raw = max / 4;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 2.5, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? raw) as number;
}

/** Hours on the axis up to three days, days beyond (fix times run to weeks). */
function axisUnit(maxHours: number): { name: string; perHour: number; suffix: string } {
  return maxHours > 72
    ? { name: 'days', perHour: 1 / 24, suffix: 'd' }
    : { name: 'hours', perHour: 1, suffix: 'h' };
}

const describe = (p: ChartPoint) =>
  p.stats.count === 0
    ? `${monthLabel(p.month, 'long')}: no case reached this step${p.stats.open > 0 ? `, ${p.stats.open} open` : ''}`
    : `${monthLabel(p.month, 'long')}: median ${formatHours(p.stats.medianHours)}, 90th percentile ${formatHours(
        p.stats.p90Hours,
      )}, ${p.stats.count} reached, ${p.stats.open} open`;

export function MonthChart({ title, points }: { title: string; points: ChartPoint[] }) {
  const id = useId();
  const { ref, width } = useWidth(640);
  const plotWidth = Math.max(120, width - MARGIN.left - MARGIN.right);
  const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
  const maxHours = Math.max(1, ...points.map((p) => p.stats.p90Hours ?? p.stats.medianHours ?? 0));
  const unit = axisUnit(maxHours);
  const step = niceStep(maxHours * unit.perHour);
  const top = Math.ceil((maxHours * unit.perHour) / step) * step;
  const ticks = Array.from({ length: Math.round(top / step) + 1 }, (_, i) => i * step);
  const y = (hours: number) => MARGIN.top + plotHeight - ((hours * unit.perHour) / top) * plotHeight;
  const band = plotWidth / Math.max(1, points.length);
  const barWidth = Math.max(4, Math.min(44, band * 0.55));
  const labelEvery = Math.max(1, Math.ceil(LABEL_WIDTH / band));
  const measured = points.filter((p) => p.stats.count > 0);

  return (
    <div className="month-chart" ref={ref}>
      <svg
        width={width}
        height={HEIGHT}
        viewBox={`0 0 ${width} ${HEIGHT}`}
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
      >
        <title id={`${id}-title`}>{`${title} per month of receipt`}</title>
        <desc id={`${id}-desc`}>
          {measured.length === 0
            ? 'No case of these months reached this step.'
            : `Bars show the median, markers the 90th percentile, in ${unit.name}. ${measured.map(describe).join('. ')}.`}
        </desc>
        {ticks.map((tick) => (
          <g key={tick} className="tick">
            <line
              x1={MARGIN.left}
              x2={MARGIN.left + plotWidth}
              y1={y(tick / unit.perHour)}
              y2={y(tick / unit.perHour)}
            />
            <text x={MARGIN.left - 6} y={y(tick / unit.perHour)} dy="0.32em" textAnchor="end">
              {`${Number(tick.toFixed(2))} ${unit.suffix}`}
            </text>
          </g>
        ))}
        {points.map((p, i) => {
          const center = MARGIN.left + band * i + band / 2;
          const { medianHours, p90Hours } = p.stats;
          const showLabel = i % labelEvery === 0;
          const year = p.month.slice(0, 4);
          const showYear = i === 0 || points[i - labelEvery]?.month.slice(0, 4) !== year;
          return (
            <g key={p.month} className="month">
              <title>{describe(p)}</title>
              {/* A transparent band so the whole column shows the month's numbers on hover. */}
              <rect className="hit" x={center - band / 2} y={MARGIN.top} width={band} height={plotHeight} />
              {medianHours !== null && (
                <rect
                  className="median"
                  x={center - barWidth / 2}
                  y={y(medianHours)}
                  width={barWidth}
                  height={Math.max(1, y(0) - y(medianHours))}
                />
              )}
              {p90Hours !== null && medianHours !== null && (
                <g className="p90">
                  <line x1={center} x2={center} y1={y(medianHours)} y2={y(p90Hours)} />
                  <line
                    x1={center - barWidth * 0.6}
                    x2={center + barWidth * 0.6}
                    y1={y(p90Hours)}
                    y2={y(p90Hours)}
                  />
                </g>
              )}
              {showLabel && (
                <text className="label" x={center} y={HEIGHT - MARGIN.bottom + 16} textAnchor="middle">
                  {shortMonth(p.month)}
                  {showYear && (
                    <tspan x={center} dy="1.2em">
                      {year}
                    </tspan>
                  )}
                </text>
              )}
            </g>
          );
        })}
        <line className="axis" x1={MARGIN.left} x2={MARGIN.left + plotWidth} y1={y(0)} y2={y(0)} />
      </svg>
    </div>
  );
}
