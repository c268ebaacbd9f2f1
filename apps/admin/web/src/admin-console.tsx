import { useMemo, useState } from 'react';
import { createApi, Field, Link, Notice, Shell, unwrap, useAction, usePath } from '@crescent/web';
import { AgenciesPage, SubscriptionsPage } from './agencies';
import { DeadLettersPage, LedgerPage } from './ledger';
import { PoliciesPage } from './policies';

const PAGES = [
  { path: '/admin/', label: 'Agencies', Page: AgenciesPage },
  { path: '/admin/subscriptions', label: 'Subscriptions', Page: SubscriptionsPage },
  { path: '/admin/policies', label: 'Policies', Page: PoliciesPage },
  { path: '/admin/ledger', label: 'Disclosure ledger', Page: LedgerPage },
  { path: '/admin/dead-letters', label: 'Dead letters', Page: DeadLettersPage },
] as const;

export function AdminConsole() {
  const [token, setToken] = useState<string>();
  const path = usePath();
  // The token lives in this page's memory only: a reload asks for it again.
  const api = useMemo(() => createApi((): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {})), [token]);
  if (!token) return <SignIn onSignedIn={setToken} />;
  const page = PAGES.find((candidate) => candidate.path === path) ?? PAGES[0];
  return (
    <Shell
      title="Crescent admin console"
      person="administrator"
      onSignOut={() => setToken(undefined)}
      nav={PAGES.map(({ path: to, label }) => (
        <Link key={to} to={to} current={to === page.path}>
          {label}
        </Link>
      ))}
    >
      <page.Page api={api} />
    </Shell>
  );
}

function SignIn({ onSignedIn }: { onSignedIn: (token: string) => void }) {
  const [token, setToken] = useState('');
  const action = useAction();
  return (
    <Shell title="Crescent admin console">
      <div className="signin">
        <h1>Sign in</h1>
        <form
          onSubmit={(event) => {
            event.preventDefault();
            // Checked against a route behind the admin guard before the console opens.
            void action.run(async () => {
              await unwrap(createApi(() => ({ authorization: `Bearer ${token}` })).GET('/v1/admin/agencies'));
              onSignedIn(token);
            });
          }}
        >
          <Field label="Administrator token">{(props) => <input {...props} type="password" autoComplete="current-password" required value={token} onChange={(event) => setToken(event.target.value)} />}</Field>
          <button type="submit" disabled={action.busy}>
            Sign in
          </button>
          {action.error && <Notice kind="error">{action.error}</Notice>}
        </form>
      </div>
    </Shell>
  );
}
