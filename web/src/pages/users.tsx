// Users (admin): every account, creating one, changing role, supplier or name, disabling.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../api.ts';
import { useTitle } from '../router.tsx';
import { type Role, roleNames, useUser } from '../session.tsx';
import type { StaffUser, Supplier } from '../types.ts';
import { ErrorBanner, Field, formatDate, Loaded, Notice, useAction, useResource } from '../ui.tsx';
import { Pill } from '../widgets.tsx';

const roleOptions: Role[] = ['admin', 'analyst', 'auditor', 'supplier'];

export function Users() {
  useTitle('Users');
  const users = useResource(() => get<{ users: StaffUser[] }>(`${API}/users`), 'users');
  const suppliers = useResource(() => get<{ suppliers: Supplier[] }>(`${API}/suppliers`), 'suppliers');
  const supplierList = suppliers.state === 'ready' ? suppliers.data.suppliers : [];
  const [created, setCreated] = useState<StaffUser | null>(null);
  return (
    <section>
      <h1>Users</h1>
      <p className="hint">
        Accounts of the security team, auditors and supplier staff. Every change goes to the audit log.
      </p>
      {created && (
        <Notice>
          Account created for <strong>{created.email}</strong> ({roleNames[created.role]}). Give them their
          password through a separate channel; they can change it under Account.
        </Notice>
      )}
      <Loaded resource={users}>
        {({ users: list }) => (
          <div className="table-wrap">
            <table className="stack" id="users">
              <caption>{list.length} accounts</caption>
              <thead>
                <tr>
                  <th scope="col">Name</th>
                  <th scope="col">Email</th>
                  <th scope="col">Role</th>
                  <th scope="col">Supplier</th>
                  <th scope="col">State</th>
                  <th scope="col">Created</th>
                  <th scope="col">Change</th>
                </tr>
              </thead>
              <tbody>
                {list.map((u) => (
                  <UserRow key={u.id} account={u} suppliers={supplierList} onChanged={users.reload} />
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Loaded>
      <NewUser
        suppliers={supplierList}
        onCreated={(u) => {
          setCreated(u);
          users.reload();
        }}
      />
    </section>
  );
}

function UserRow({
  account,
  suppliers,
  onChanged,
}: {
  account: StaffUser;
  suppliers: Supplier[];
  onChanged: () => void;
}) {
  const me = useUser();
  const [role, setRole] = useState<Role>(account.role);
  const [supplierId, setSupplierId] = useState(account.supplierId ?? '');
  const { busy, error, run } = useAction();
  const supplierName = suppliers.find((s) => s.id === account.supplierId)?.name ?? account.supplierId ?? '—';
  const changed = role !== account.role || (role === 'supplier' && supplierId !== (account.supplierId ?? ''));

  const save = async () => {
    const body = role === 'supplier' ? { role, supplierId: supplierId || null } : { role, supplierId: null };
    if (await run(() => api('PATCH', `${API}/users/${account.id}`, body))) onChanged();
  };
  const toggle = async () => {
    if (await run(() => api('PATCH', `${API}/users/${account.id}`, { disabled: !account.disabled })))
      onChanged();
  };
  return (
    <tr>
      <td data-label="Name">{account.name}</td>
      <td data-label="Email">{account.email}</td>
      <td data-label="Role">
        <label className="visually-hidden" htmlFor={`role-${account.id}`}>
          Role of {account.email}
        </label>
        <select id={`role-${account.id}`} value={role} onChange={(e) => setRole(e.target.value as Role)}>
          {roleOptions.map((r) => (
            <option key={r} value={r}>
              {roleNames[r]}
            </option>
          ))}
        </select>
      </td>
      <td data-label="Supplier">
        {role === 'supplier' ? (
          <>
            <label className="visually-hidden" htmlFor={`supplier-${account.id}`}>
              Supplier of {account.email}
            </label>
            <select
              id={`supplier-${account.id}`}
              value={supplierId}
              onChange={(e) => setSupplierId(e.target.value)}
            >
              <option value="">Choose…</option>
              {suppliers.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name}
                </option>
              ))}
            </select>
          </>
        ) : (
          supplierName
        )}
      </td>
      <td data-label="State">
        {account.disabled ? <Pill tone="bad">disabled</Pill> : <Pill tone="good">active</Pill>}
      </td>
      <td data-label="Created">{formatDate(account.createdAt)}</td>
      <td data-label="Change">
        <div className="actions">
          <button type="button" disabled={!changed || busy} onClick={() => void save()}>
            Save role
          </button>
          {account.id !== me.id && (
            <button type="button" className="danger" disabled={busy} onClick={() => void toggle()}>
              {account.disabled ? 'Enable' : 'Disable'}
            </button>
          )}
        </div>
        {error && <ErrorBanner error={error} />}
      </td>
    </tr>
  );
}

function NewUser({ suppliers, onCreated }: { suppliers: Supplier[]; onCreated: (user: StaffUser) => void }) {
  const [form, setForm] = useState({
    email: '',
    name: '',
    role: 'analyst' as Role,
    supplierId: '',
    password: '',
  });
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const { supplierId, ...rest } = form;
    const body = form.role === 'supplier' ? { ...rest, supplierId: supplierId || null } : rest;
    const created = await run(() => api<StaffUser>('POST', `${API}/users`, body));
    if (created) {
      setForm({ email: '', name: '', role: 'analyst', supplierId: '', password: '' });
      onCreated(created);
    }
  };
  const f = error?.fields ?? {};
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-user-title" id="new-user">
      <h2 id="new-user-title">Create an account</h2>
      {error && <ErrorBanner error={error} />}
      <div className="grid-2">
        <Field label="Name" error={f.name}>
          {(p) => (
            <input
              {...p}
              type="text"
              name="name"
              required
              value={form.name}
              onChange={(e) => setForm({ ...form, name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Email" error={f.email}>
          {(p) => (
            <input
              {...p}
              type="email"
              name="email"
              required
              value={form.email}
              onChange={(e) => setForm({ ...form, email: e.target.value })}
            />
          )}
        </Field>
        <Field label="Role" error={f.role}>
          {(p) => (
            <select
              {...p}
              name="role"
              value={form.role}
              onChange={(e) => setForm({ ...form, role: e.target.value as Role })}
            >
              {roleOptions.map((r) => (
                <option key={r} value={r}>
                  {roleNames[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        {form.role === 'supplier' && (
          <Field
            label="Supplier"
            hint="A supplier account sees only this supplier's models"
            error={f.supplierId}
          >
            {(p) => (
              <select
                {...p}
                name="supplierId"
                required
                value={form.supplierId}
                onChange={(e) => setForm({ ...form, supplierId: e.target.value })}
              >
                <option value="">Choose…</option>
                {suppliers.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        )}
        <Field label="Initial password" hint="At least 12 characters" error={f.password}>
          {(p) => (
            <input
              {...p}
              type="password"
              name="new-password"
              autoComplete="new-password"
              required
              value={form.password}
              onChange={(e) => setForm({ ...form, password: e.target.value })}
            />
          )}
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create account'}
      </button>
    </form>
  );
}
