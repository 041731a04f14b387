// Who is signed in: the user from /auth/me or /auth/login, what their role may do, and signing out.
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from 'react';
import { API, type ApiError, api, setCsrfToken, whenSessionLost } from './api.ts';

export type Role = 'admin' | 'analyst' | 'auditor' | 'supplier';

export type User = {
  id: string;
  email: string;
  name: string;
  role: Role;
  supplierId: string | null;
};

export type SessionAnswer = { user: User; csrfToken: string };

type SessionState =
  | { state: 'checking' }
  | { state: 'signed-out'; reason?: string }
  | { state: 'unreachable'; error: ApiError }
  | { state: 'signed-in'; user: User };

type SessionContext = {
  session: SessionState;
  signedIn(answer: SessionAnswer): void;
  signOut(everywhere?: boolean): Promise<void>;
  recheck(): void;
};

const Context = createContext<SessionContext | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [session, setSession] = useState<SessionState>({ state: 'checking' });

  const recheck = useCallback(() => {
    setSession({ state: 'checking' });
    api<SessionAnswer>('GET', `${API}/auth/me`)
      .then((answer) => {
        setCsrfToken(answer.csrfToken);
        setSession({ state: 'signed-in', user: answer.user });
      })
      .catch((error: ApiError) => {
        setCsrfToken(null);
        if (error.status === 401) setSession({ state: 'signed-out' });
        else setSession({ state: 'unreachable', error });
      });
  }, []);

  useEffect(() => {
    whenSessionLost(() => {
      setCsrfToken(null);
      setSession({ state: 'signed-out', reason: 'Your session has ended. Please sign in again.' });
    });
    recheck();
  }, [recheck]);

  const value = useMemo<SessionContext>(
    () => ({
      session,
      recheck,
      signedIn(answer) {
        setCsrfToken(answer.csrfToken);
        setSession({ state: 'signed-in', user: answer.user });
      },
      async signOut(everywhere = false) {
        await api('POST', `${API}/auth/${everywhere ? 'logout-everywhere' : 'logout'}`);
        setCsrfToken(null);
        setSession({
          state: 'signed-out',
          reason: everywhere ? 'You are signed out on every device.' : 'You are signed out.',
        });
      },
    }),
    [session, recheck],
  );
  return <Context.Provider value={value}>{children}</Context.Provider>;
}

export function useSession(): SessionContext {
  const context = useContext(Context);
  if (!context) throw new Error('useSession outside SessionProvider');
  return context;
}

/** The signed-in user; only used inside the signed-in shell. */
export function useUser(): User {
  const { session } = useSession();
  if (session.state !== 'signed-in') throw new Error('useUser without a signed-in session');
  return session.user;
}

/** What each role may do in the console; the API enforces the same rules on its side. */
export const can = {
  editInventory: (user: User) => user.role === 'admin' || user.role === 'analyst',
  editSuppliers: (user: User) => user.role === 'admin' || user.role === 'analyst',
  editChecklist: (user: User) => user.role === 'admin' || user.role === 'analyst',
  /** Suppliers upload for their own firmware (the only firmware they can see). */
  uploadSbom: (user: User) => user.role !== 'auditor',
  manageUsers: (user: User) => user.role === 'admin',
  readAudit: (user: User) => user.role === 'admin' || user.role === 'auditor',
  seeAllInventory: (user: User) => user.role !== 'supplier',
};

export const roleNames: Record<Role, string> = {
  admin: 'Administrator',
  analyst: 'Security analyst',
  auditor: 'Auditor (read only)',
  supplier: 'Supplier',
};
