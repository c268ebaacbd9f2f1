import { Link, Shell, SignInPage, usePath, useSession } from '@crescent/web';
import { AgenciesPage, SubscriptionsPage } from './agencies';
import { DeadLettersPage, LedgerPage } from './ledger';
import { PoliciesPage } from './policies';

const TITLE = 'Crescent admin console';

const PAGES = [
  { path: '/admin/', label: 'Agencies', Page: AgenciesPage },
  { path: '/admin/subscriptions', label: 'Subscriptions', Page: SubscriptionsPage },
  { path: '/admin/policies', label: 'Policies', Page: PoliciesPage },
  { path: '/admin/ledger', label: 'Disclosure ledger', Page: LedgerPage },
  { path: '/admin/dead-letters', label: 'Dead letters', Page: DeadLettersPage },
] as const;

export function AdminConsole() {
  const { session, api, signIn, signOut } = useSession('admin');
  const path = usePath();
  if (session === undefined) return <Shell title={TITLE}>Loading…</Shell>;
  if (session === null) return <SignInPage title={TITLE} intro="For the exchange's administrators." signIn={signIn} />;
  const page = PAGES.find((candidate) => candidate.path === path) ?? PAGES[0];
  return (
    <Shell
      title={TITLE}
      person={session.person.displayName}
      onSignOut={() => void signOut()}
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
