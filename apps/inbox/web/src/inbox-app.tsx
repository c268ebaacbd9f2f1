import { Link, Shell, SignInPage, usePath, useSession } from '@crescent/web';
import { ReferralDetailPage } from './referral-detail';
import { ReferralListPage } from './referral-list';

const TITLE = 'Referral inbox';
const DETAIL = /^\/inbox\/referrals\/([^/]+)$/;

export function InboxApp() {
  const { session, api, signIn, signOut } = useSession('inbox');
  const path = usePath();
  if (session === undefined) return <Shell title={TITLE}>Loading…</Shell>;
  if (session === null) return <SignInPage title={TITLE} intro="For caseworkers and supervisors of the agency this inbox serves." signIn={signIn} />;
  const referralId = DETAIL.exec(path)?.[1];
  return (
    <Shell
      title={TITLE}
      person={session.person.displayName}
      onSignOut={() => void signOut()}
      nav={
        <Link to="/inbox/" current={!referralId}>
          All referrals
        </Link>
      }
    >
      {referralId ? <ReferralDetailPage key={referralId} api={api} referralId={decodeURIComponent(referralId)} /> : <ReferralListPage api={api} />}
    </Shell>
  );
}
