import { type ReactNode, useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { type Api, createApi, type Schema, unwrap } from './api';
import { Field, Notice, Shell, useAction } from './components';

export type Session = Schema<'SessionDto'>;
type Realm = 'inbox' | 'admin';

/** Both realms' session routes answer alike; the inbox's path stands for either in the types. */
const sessionPath = (realm: Realm) => `/v1/${realm}/session` as '/v1/inbox/session';

/**
 * The person signed in to this UI (undefined while asking, null when nobody is) and the API as them:
 * the session cookie rides along, every change carries the session's CSRF token, and an answer that
 * the session is gone (401) brings the sign-in page back.
 */
export function useSession(realm: Realm): { session?: Session | null; api: Api; signIn: (username: string, password: string) => Promise<void>; signOut: () => Promise<void> } {
  const [session, setSession] = useState<Session | null>();
  const csrfToken = useRef<string>(undefined);
  const api = useMemo(() => {
    const client = createApi((): Record<string, string> => (csrfToken.current ? { 'X-CSRF-Token': csrfToken.current } : {}));
    client.use({
      onResponse({ request, response }) {
        if (response.status === 401 && new URL(request.url).pathname !== sessionPath(realm)) setSession(null);
      },
    });
    return client;
  }, [realm]);
  const remember = useCallback((signedIn: Session | null) => {
    csrfToken.current = signedIn?.csrfToken;
    setSession(signedIn);
  }, []);
  useEffect(() => {
    api.GET(sessionPath(realm)).then(
      ({ data }) => remember(data ?? null),
      () => remember(null),
    );
  }, [api, realm, remember]);
  const signIn = useCallback(async (username: string, password: string) => remember(await unwrap(api.POST(sessionPath(realm), { body: { username, password } }))), [api, realm, remember]);
  const signOut = useCallback(async () => {
    await api.DELETE(sessionPath(realm));
    remember(null);
  }, [api, realm, remember]);
  return { session, api, signIn, signOut };
}

/** The sign-in form of either UI. */
export function SignInPage({ title, intro, signIn }: { title: string; intro: ReactNode; signIn: (username: string, password: string) => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const action = useAction();
  return (
    <Shell title={title}>
      <div className="signin">
        <h1>Sign in</h1>
        <p>{intro}</p>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            void action.run(() => signIn(username, password));
          }}
        >
          <Field label="Username">{(props) => <input {...props} autoComplete="username" required value={username} onChange={(event) => setUsername(event.target.value)} />}</Field>
          <Field label="Password">{(props) => <input {...props} type="password" autoComplete="current-password" required value={password} onChange={(event) => setPassword(event.target.value)} />}</Field>
          <button type="submit" disabled={action.busy}>
            Sign in
          </button>
          {action.error && <Notice kind="error">{action.error}</Notice>}
        </form>
      </div>
    </Shell>
  );
}
