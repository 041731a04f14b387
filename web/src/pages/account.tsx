// Your account: who you are, changing your password, signing out here or everywhere.
import { type FormEvent, useState } from 'react';
import { API, api } from '../api.ts';
import { useTitle } from '../router.tsx';
import { roleNames, useSession, useUser } from '../session.tsx';
import { ErrorBanner, Field, Notice, useAction } from '../ui.tsx';

export function Account() {
  useTitle('Account');
  const user = useUser();
  const { signOut } = useSession();
  const signOutAction = useAction();
  return (
    <section>
      <h1>Your account</h1>
      <dl className="facts">
        <dt>Name</dt>
        <dd>{user.name}</dd>
        <dt>Email</dt>
        <dd>{user.email}</dd>
        <dt>Role</dt>
        <dd>{roleNames[user.role]}</dd>
      </dl>
      <PasswordChange />
      <div className="panel">
        <h2>Sign out</h2>
        <p>
          Signing out everywhere ends every session of your account, on every browser (your API tokens keep
          working).
        </p>
        {signOutAction.error && <ErrorBanner error={signOutAction.error} />}
        <div className="actions">
          <button type="button" className="secondary" onClick={() => void signOutAction.run(() => signOut())}>
            Sign out
          </button>
          <button
            type="button"
            className="danger"
            onClick={() => void signOutAction.run(() => signOut(true))}
          >
            Sign out everywhere
          </button>
        </div>
      </div>
    </section>
  );
}

function PasswordChange() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState(false);
  const { busy, error, run } = useAction();
  const mismatch = repeat !== '' && repeat !== newPassword;
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (mismatch) return;
    setDone(false);
    const ok = await run(() => api('POST', `${API}/auth/password`, { currentPassword, newPassword }));
    if (ok) {
      setCurrent('');
      setNew('');
      setRepeat('');
      setDone(true);
    }
  };
  return (
    <form className="panel" onSubmit={submit} aria-labelledby="password-title">
      <h2 id="password-title">Change your password</h2>
      {done && <Notice>Your password is changed. Your other sessions have ended.</Notice>}
      {error && <ErrorBanner error={error} />}
      <input type="text" name="username" autoComplete="username" hidden readOnly value="" />
      <Field label="Current password" error={error?.fields.currentPassword}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="current-password"
            required
            value={currentPassword}
            onChange={(e) => setCurrent(e.target.value)}
          />
        )}
      </Field>
      <Field
        label="New password"
        hint="At least 12 characters; a passphrase of several words is easy to remember"
        error={error?.fields.newPassword}
      >
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            required
            minLength={12}
            value={newPassword}
            onChange={(e) => setNew(e.target.value)}
          />
        )}
      </Field>
      <Field label="New password again" error={mismatch ? 'does not match the new password' : undefined}>
        {(p) => (
          <input
            {...p}
            type="password"
            autoComplete="new-password"
            required
            value={repeat}
            onChange={(e) => setRepeat(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" disabled={busy || mismatch}>
        {busy ? 'Changing…' : 'Change password'}
      </button>
    </form>
  );
}
