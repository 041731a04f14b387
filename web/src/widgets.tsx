// Small pieces shared by several screens: breadcrumbs, status pills.
import { Link } from './router.tsx';

export function Breadcrumbs({ trail }: { trail: { to: string; label: string }[] }) {
  return (
    <nav className="breadcrumbs" aria-label="Breadcrumbs">
      <ol>
        {trail.map((step) => (
          <li key={step.to}>
            <Link to={step.to}>{step.label}</Link>
          </li>
        ))}
      </ol>
    </nav>
  );
}

export function Pill({ tone, children }: { tone: 'good' | 'bad' | 'warn' | 'plain'; children: string }) {
  return <span className={tone === 'plain' ? 'pill' : `pill ${tone}`}>{children}</span>;
}
