import { API, get } from '../api.ts';
import { useTitle } from '../router.tsx';
import { can, useUser } from '../session.tsx';
import type { Checklist, Contact, Supplier } from '../types.ts';
import { Loaded, useResource } from '../ui.tsx';
import { Breadcrumbs } from '../widgets.tsx';
import { EditSupplier } from './supplier/edit-supplier.tsx';
import { SafeguardEntry } from './supplier/safeguard-entry.tsx';
import { ModelLinks, SupplierModels } from './supplier/supplier-models.tsx';
import { SafeguardGlance } from './suppliers.tsx';

export function SupplierDetail({ supplierId, portal = false }: { supplierId: string; portal?: boolean }) {
  const user = useUser();
  // A supplier's own staff read their record at /me/supplier; staff read any at /suppliers/:id.
  const supplier = useResource(
    () => get<Supplier>(portal ? `${API}/me/supplier` : `${API}/suppliers/${supplierId}`),
    `supplier:${portal ? 'me' : supplierId}`,
  );
  const checklist = useResource(
    () => get<Checklist>(`${API}/suppliers/${supplierId}/safeguards`),
    `safeguards:${supplierId}`,
  );
  useTitle(portal ? 'Your supplier' : supplier.state === 'ready' ? supplier.data.name : 'Supplier');
  if (!supplierId) {
    return (
      <p className="empty">Your account is not linked to a supplier. Ask an administrator to link it.</p>
    );
  }
  const reloadAll = () => {
    supplier.reload();
    checklist.reload();
  };
  return (
    <section>
      {!portal && <Breadcrumbs trail={[{ to: '/suppliers', label: 'Suppliers' }]} />}
      <Loaded resource={supplier}>
        {(s) => (
          <>
            <h1>{portal ? `Your supplier: ${s.name}` : s.name}</h1>
            {portal && (
              <p className="hint">
                You see the models your company builds or supplies parts for, their firmware, and the contract
                safeguards the maker has recorded for you. You can add evidence to any safeguard.
              </p>
            )}
            <dl className="facts">
              <dt>Country</dt>
              <dd>{s.country ? `${s.countryName ?? s.country} (${s.country})` : '—'}</dd>
              <dt>Contacts</dt>
              <dd>{s.contacts.length === 0 ? '—' : <ContactList contacts={s.contacts} />}</dd>
              <dt>Safeguards</dt>
              <dd>
                <SafeguardGlance summary={s.safeguards} />
              </dd>
            </dl>
            {can.editSuppliers(user) && <EditSupplier supplier={s} onSaved={supplier.reload} />}
            <h2>Models</h2>
            <SupplierModels supplier={s} />
            {can.editSuppliers(user) && <ModelLinks supplier={s} onSaved={reloadAll} />}
          </>
        )}
      </Loaded>
      {supplier.state === 'ready' && <h2>Contract safeguards</h2>}
      {supplier.state === 'ready' && (
        <Loaded resource={checklist}>
          {(list) => (
            <div className="checklist">
              {list.items.map((entry) => (
                <SafeguardEntry
                  key={entry.key}
                  supplierId={supplierId}
                  entry={entry}
                  user={user}
                  onChanged={reloadAll}
                />
              ))}
            </div>
          )}
        </Loaded>
      )}
    </section>
  );
}

function ContactList({ contacts }: { contacts: Contact[] }) {
  return (
    <ul className="plain">
      {contacts.map((c) => (
        <li key={`${c.email}-${c.name}`}>
          {c.name}
          {c.role && `, ${c.role}`} · <a href={`mailto:${c.email}`}>{c.email}</a>
          {c.phone && ` · ${c.phone}`}
        </li>
      ))}
    </ul>
  );
}
