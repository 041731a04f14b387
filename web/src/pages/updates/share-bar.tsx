// One horizontal bar split into coloured shares (an inline SVG), with the numbers in its title and
// label for screen readers. Used for stage progress and fleet coverage.
import './updates.css';
export type Share = { name: string; value: number; className: string };

export function ShareBar({ label, parts, height = 14 }: { label: string; parts: Share[]; height?: number }) {
  const total = parts.reduce((sum, part) => sum + part.value, 0);
  const text = `${label}: ${parts.map((part) => `${part.value} ${part.name}`).join(', ')}`;
  let x = 0;
  return (
    <svg
      className="share-bar"
      role="img"
      aria-label={text}
      viewBox={`0 0 100 ${height}`}
      preserveAspectRatio="none"
      height={height}
      width="100%"
    >
      <title>{text}</title>
      <rect className="bar-empty" x={0} y={0} width={100} height={height} />
      {total > 0 &&
        parts.map((part) => {
          const width = (part.value / total) * 100;
          const rect = (
            <rect key={part.name} className={part.className} x={x} y={0} width={width} height={height} />
          );
          x += width;
          return rect;
        })}
    </svg>
  );
}
