// Sign-in: email and password against POST /auth/login; wrong password and throttling are explained.
import { type FormEvent, useState } from 'react';
import { API, api } from '../api.ts';
import { useTitle } from '../router.tsx';
import { type SessionAnswer, useSession } from '../session.tsx';
import { ErrorBanner, Field, useAction } from '../ui.tsx';

export function SignIn({ reason }: { reason?: string | undefined }) {
  useTitle('Sign in');
  const { signedIn } = useSession();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const { busy, error, run } = useAction();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await run(() => api<SessionAnswer>('POST', `${API}/auth/login`, { email, password }));
    if (answer) signedIn(answer);
  };

  let title = 'Sign-in failed';
  if (error?.status === 401) title = 'Wrong email or password';
  if (error?.status === 429) title = 'Too many attempts';

  return (
    <main className="sign-in">
      <div className="panel">
        <h1>Sign in to the console</h1>
        <p className="hint">
          For the security team, auditors and supplier staff. Researchers report at the public site.
        </p>
        {reason && !error && (
          <p className="banner ok-banner" role="status">
            {reason}
          </p>
        )}
        {error && <ErrorBanner error={error} title={title} />}
        <form onSubmit={submit} noValidate={false}>
          <Field label="Email">
            {(props) => (
              <input
                {...props}
                type="email"
                name="email"
                autoComplete="username"
                required
                value={email}
                onChange={(e) => setEmail(e.target.value)}
              />
            )}
          </Field>
          <Field label="Password">
            {(props) => (
              <input
                {...props}
                type="password"
                name="password"
                autoComplete="current-password"
                required
                value={password}
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </Field>
          <button type="submit" disabled={busy}>
            {busy ? 'Signing in…' : 'Sign in'}
          </button>
        </form>
      </div>
    </main>
  );
}
