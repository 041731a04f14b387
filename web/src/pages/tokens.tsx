// API tokens: create one (the secret is shown once), see when each was last used, revoke.
import { type FormEvent, useState } from 'react';
import { API, api, get } from '../api.ts';
import { useTitle } from '../router.tsx';
import { type Role, roleNames, type User, useUser } from '../session.tsx';
import type { ApiToken, CreatedToken } from '../types.ts';
import { ErrorBanner, Field, formatDate, Loaded, useAction, useResource } from '../ui.tsx';
import { Pill } from '../widgets.tsx';

/** Roles a token of this user may act as (the server enforces the same rule). */
function tokenRoles(user: User): Role[] {
  if (user.role === 'admin') return ['admin', 'analyst', 'auditor', 'supplier'];
  if (user.role === 'analyst') return ['analyst', 'auditor'];
  return [user.role];
}

export function Tokens() {
  useTitle('API tokens');
  const user = useUser();
  const tokens = useResource(() => get<{ tokens: ApiToken[] }>(`${API}/tokens`), 'tokens');
  const [created, setCreated] = useState<CreatedToken | null>(null);
  return (
    <section>
      <h1>API tokens</h1>
      <p className="hint">
        For scripts and CI: send a token as <code>Authorization: Bearer …</code>. A token acts as your role or
        a lesser one, and can be revoked at any time.
      </p>
      {created && <NewSecret token={created} onDismiss={() => setCreated(null)} />}
      <NewToken
        roles={tokenRoles(user)}
        onCreated={(token) => {
          setCreated(token);
          tokens.reload();
        }}
      />
      <h2>{user.role === 'admin' ? 'Every token' : 'Your tokens'}</h2>
      <Loaded resource={tokens}>
        {({ tokens: list }) =>
          list.length === 0 ? (
            <p className="empty">No tokens yet.</p>
          ) : (
            <div className="table-wrap">
              <table className="stack" id="tokens">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Acts as</th>
                    {user.role === 'admin' && <th scope="col">Owner</th>}
                    <th scope="col">Starts with</th>
                    <th scope="col">Created</th>
                    <th scope="col">Last used</th>
                    <th scope="col">State</th>
                    <th scope="col">
                      <span className="visually-hidden">Actions</span>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {list.map((t) => (
                    <TokenRow
                      key={t.id}
                      token={t}
                      showOwner={user.role === 'admin'}
                      onRevoked={tokens.reload}
                    />
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

function tokenState(token: ApiToken): { tone: 'good' | 'bad' | 'warn'; label: string } {
  if (token.revokedAt) return { tone: 'bad', label: `revoked ${formatDate(token.revokedAt)}` };
  if (token.expiresAt && new Date(token.expiresAt) < new Date()) return { tone: 'warn', label: 'expired' };
  return { tone: 'good', label: token.expiresAt ? `active until ${formatDate(token.expiresAt)}` : 'active' };
}

function TokenRow({
  token,
  showOwner,
  onRevoked,
}: {
  token: ApiToken;
  showOwner: boolean;
  onRevoked: () => void;
}) {
  const { busy, error, run } = useAction();
  const state = tokenState(token);
  const revoke = async () => {
    if (!window.confirm(`Revoke the token "${token.name}"? Scripts using it stop working at once.`)) return;
    if (await run(() => api('DELETE', `${API}/tokens/${token.id}`))) onRevoked();
  };
  return (
    <tr>
      <td data-label="Name">{token.name}</td>
      <td data-label="Acts as">{roleNames[token.role]}</td>
      {showOwner && <td data-label="Owner">{token.userEmail}</td>}
      <td data-label="Starts with">
        <code className="nowrap">{token.prefix}…</code>
      </td>
      <td data-label="Created">{formatDate(token.createdAt)}</td>
      <td data-label="Last used">{token.lastUsedAt ? formatDate(token.lastUsedAt) : 'never'}</td>
      <td data-label="State">
        <Pill tone={state.tone}>{state.label}</Pill>
      </td>
      <td data-label="Actions">
        {!token.revokedAt && (
          <button type="button" className="danger" disabled={busy} onClick={() => void revoke()}>
            Revoke
          </button>
        )}
        {error && <ErrorBanner error={error} />}
      </td>
    </tr>
  );
}

function NewToken({ roles, onCreated }: { roles: Role[]; onCreated: (token: CreatedToken) => void }) {
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(roles[0] ?? 'auditor');
  const [expires, setExpires] = useState('');
  const { busy, error, run } = useAction();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const body = {
      name,
      role,
      ...(expires ? { expiresAt: new Date(`${expires}T23:59:59`).toISOString() } : {}),
    };
    const created = await run(() => api<CreatedToken>('POST', `${API}/tokens`, body));
    if (created) {
      setName('');
      setExpires('');
      onCreated(created);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="new-token-title" id="new-token">
      <h2 id="new-token-title">Create a token</h2>
      {error && <ErrorBanner error={error} />}
      <div className="grid-2">
        <Field label="Name" hint="What uses it, e.g. nightly SBOM upload" error={error?.fields.name}>
          {(p) => (
            <input
              {...p}
              type="text"
              name="token-name"
              required
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          )}
        </Field>
        <Field label="Acts as" error={error?.fields.role}>
          {(p) => (
            <select {...p} value={role} onChange={(e) => setRole(e.target.value as Role)}>
              {roles.map((r) => (
                <option key={r} value={r}>
                  {roleNames[r]}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Expires" hint="Optional: the last day it works" error={error?.fields.expiresAt}>
          {(p) => <input {...p} type="date" value={expires} onChange={(e) => setExpires(e.target.value)} />}
        </Field>
      </div>
      <button type="submit" disabled={busy}>
        {busy ? 'Creating…' : 'Create token'}
      </button>
    </form>
  );
}

function NewSecret({ token, onDismiss }: { token: CreatedToken; onDismiss: () => void }) {
  const [copied, setCopied] = useState<string | null>(null);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(token.token);
      setCopied('Copied to the clipboard.');
    } catch {
      setCopied('Copying is not allowed here: select the token and copy it with Ctrl+C or ⌘C.');
    }
  };
  return (
    <div className="panel success" role="status" id="new-token-secret">
      <h2>Token “{token.name}” created</h2>
      <p>
        <strong>Copy it now: this is the only time it is shown.</strong> The server keeps only a hash of it;
        if you lose it, revoke it and create a new one.
      </p>
      <code className="secret">{token.token}</code>
      <div className="actions">
        <button type="button" onClick={() => void copy()}>
          Copy token
        </button>
        <button type="button" className="secondary" onClick={onDismiss}>
          I have stored it
        </button>
        {copied && <span className="hint">{copied}</span>}
      </div>
    </div>
  );
}
