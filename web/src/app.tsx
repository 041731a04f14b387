// The console: checks the session, shows sign-in or the shell, and picks the screen for the path.
import type { ReactNode } from 'react';
import { Account } from './pages/account.tsx';
import { AuditLog } from './pages/audit.tsx';
import { CasePage } from './pages/cases/case-page.tsx';
import { Inbox } from './pages/cases/inbox.tsx';
import { ComponentSearch } from './pages/component-search.tsx';
import { FirmwareDetail } from './pages/firmware-detail.tsx';
import { Jobs } from './pages/jobs.tsx';
import { canReadMetrics, Metrics } from './pages/metrics.tsx';
import { ModelDetail } from './pages/model-detail.tsx';
import { ProductDetail, ProductList } from './pages/products.tsx';
import { SignIn } from './pages/sign-in.tsx';
import { SupplierDetail } from './pages/supplier-detail.tsx';
import { SupplierList } from './pages/suppliers.tsx';
import { Tokens } from './pages/tokens.tsx';
import { RolloutForm } from './pages/updates/rollout-form.tsx';
import { RolloutPage } from './pages/updates/rollout-page.tsx';
import { UpdatesHome } from './pages/updates/updates-home.tsx';
import { Users } from './pages/users.tsx';
import { match, navigate, usePath } from './router.tsx';
import { can, SessionProvider, type User, useSession } from './session.tsx';
import { Shell } from './shell.tsx';
import { ErrorBanner, Loading } from './ui.tsx';

export function App() {
  return (
    <SessionProvider>
      <Gate />
    </SessionProvider>
  );
}

function Gate() {
  const { session, recheck } = useSession();
  if (session.state === 'checking') {
    return (
      <main className="sign-in">
        <Loading what="Checking your session…" />
      </main>
    );
  }
  if (session.state === 'unreachable') {
    return (
      <main className="sign-in">
        <ErrorBanner error={session.error} retry={recheck} title="The console cannot reach the server" />
      </main>
    );
  }
  if (session.state === 'signed-out') return <SignIn reason={session.reason} />;
  return (
    <Shell user={session.user}>
      <Screen user={session.user} />
    </Shell>
  );
}

type Route = {
  pattern: string;
  allowed?: (user: User) => boolean;
  render: (params: Record<string, string>, user: User) => ReactNode;
};

const routes: Route[] = [
  { pattern: '/cases', render: () => <Inbox /> },
  { pattern: '/cases/:caseId', render: (p) => <CasePage key={p.caseId} caseId={p.caseId ?? ''} /> },
  { pattern: '/inventory', allowed: can.seeAllInventory, render: () => <ProductList /> },
  {
    pattern: '/inventory/products/:productId',
    allowed: can.seeAllInventory,
    render: (p) => <ProductDetail productId={p.productId ?? ''} />,
  },
  { pattern: '/inventory/models/:modelId', render: (p) => <ModelDetail modelId={p.modelId ?? ''} /> },
  {
    pattern: '/inventory/firmware/:firmwareId',
    render: (p) => <FirmwareDetail firmwareId={p.firmwareId ?? ''} />,
  },
  { pattern: '/components', render: () => <ComponentSearch /> },
  { pattern: '/suppliers', allowed: can.seeAllInventory, render: () => <SupplierList /> },
  {
    pattern: '/suppliers/:supplierId',
    render: (p) => <SupplierDetail supplierId={p.supplierId ?? ''} />,
  },
  {
    pattern: '/supplier',
    allowed: (user) => user.role === 'supplier',
    render: (_p, user) => <SupplierDetail supplierId={user.supplierId ?? ''} portal />,
  },
  { pattern: '/users', allowed: can.manageUsers, render: () => <Users /> },
  { pattern: '/tokens', render: () => <Tokens /> },
  { pattern: '/metrics', allowed: canReadMetrics, render: () => <Metrics /> },
  { pattern: '/updates', allowed: can.seeAllInventory, render: (_p, user) => <UpdatesHome user={user} /> },
  { pattern: '/updates/rollouts/new', allowed: can.seeAllInventory, render: () => <RolloutForm /> },
  {
    pattern: '/updates/rollouts/:rolloutId',
    allowed: can.seeAllInventory,
    render: (p) => <RolloutPage key={p.rolloutId} rolloutId={p.rolloutId ?? ''} />,
  },
  { pattern: '/audit', allowed: can.readAudit, render: () => <AuditLog /> },
  { pattern: '/jobs', allowed: can.readAudit, render: () => <Jobs /> },
  { pattern: '/account', render: () => <Account /> },
];

export function homeOf(user: User): string {
  return user.role === 'supplier' ? '/supplier' : '/cases';
}

function Screen({ user }: { user: User }) {
  const path = usePath();
  if (path === '/' || path === '') {
    queueMicrotask(() => navigate(homeOf(user), { replace: true }));
    return <Loading />;
  }
  for (const route of routes) {
    const params = match(route.pattern, path);
    if (!params) continue;
    if (route.allowed && !route.allowed(user)) {
      return (
        <section>
          <h1>Not available</h1>
          <p>Your role does not give access to this part of the console.</p>
        </section>
      );
    }
    return route.render(params, user);
  }
  return (
    <section>
      <h1>Not found</h1>
      <p>There is no console screen at this address.</p>
    </section>
  );
}
