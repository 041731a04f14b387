// The frame around every signed-in screen: header, navigation by role, who is signed in, sign out.
import { type ReactNode, useState } from 'react';
import { canReadMetrics } from './pages/metrics.tsx';
import { Link, usePath } from './router.tsx';
import { can, roleNames, type User, useSession } from './session.tsx';

type NavItem = { to: string; label: string };

function navFor(user: User): NavItem[] {
  // Suppliers see the cases assigned to their supplier (the API scopes the list).
  const items: NavItem[] = [{ to: '/cases', label: 'Cases' }];
  if (user.role === 'supplier') items.push({ to: '/supplier', label: 'Your supplier' });
  if (can.seeAllInventory(user)) items.push({ to: '/inventory', label: 'Inventory' });
  // A supplier's search covers its own models only (the API scopes it).
  items.push({ to: '/components', label: 'Component search' });
  if (can.seeAllInventory(user)) items.push({ to: '/suppliers', label: 'Suppliers' });
  if (can.manageUsers(user)) items.push({ to: '/users', label: 'Users' });
  if (canReadMetrics(user)) items.push({ to: '/metrics', label: 'Metrics' });
  // Staff only: the rollout preview and the fleet coverage are not open to suppliers.
  if (can.seeAllInventory(user)) items.push({ to: '/updates', label: 'Updates' });
  items.push({ to: '/tokens', label: 'API tokens' });
  if (can.readAudit(user)) items.push({ to: '/audit', label: 'Audit log' });
  if (can.readAudit(user)) items.push({ to: '/jobs', label: 'Jobs' });
  items.push({ to: '/account', label: 'Account' });
  return items;
}

export function Shell({ user, children }: { user: User; children: ReactNode }) {
  const path = usePath();
  const [open, setOpen] = useState(false);
  const { signOut } = useSession();
  const items = navFor(user);
  const current = (to: string) =>
    path === to || path.startsWith(`${to}/`) || (to === '/inventory' && path.startsWith('/inventory'));

  return (
    <div className="shell">
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="console">
        <Link to="/" className="brand">
          OpenPSIRT console
        </Link>
        <button
          type="button"
          className="menu-toggle secondary"
          aria-expanded={open}
          aria-controls="console-nav"
          onClick={() => setOpen((o) => !o)}
        >
          Menu
        </button>
        <nav id="console-nav" aria-label="Console" className={open ? 'open' : ''}>
          <ul>
            {items.map((item) => (
              <li key={item.to}>
                <Link
                  to={item.to}
                  aria-current={current(item.to) ? 'page' : undefined}
                  onClick={() => setOpen(false)}
                >
                  {item.label}
                </Link>
              </li>
            ))}
          </ul>
          <div className="who">
            <span>
              <span className="who-name">{user.name || user.email}</span>{' '}
              <span className="role-badge">{roleNames[user.role]}</span>
            </span>
            <button type="button" className="link-button" onClick={() => void signOut()}>
              Sign out
            </button>
          </div>
        </nav>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
      <footer className="console">OpenPSIRT staff console · all changes are recorded in the audit log</footer>
    </div>
  );
}
