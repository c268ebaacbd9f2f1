import { CommandMetadata, SharableRecordType, SubscriptionTerms } from '@crescent/domain';
import { EventStore, WrongExpectedRevisionError } from '@crescent/event-store';
import { DEMO_POLICIES } from '@crescent/policy';
import { writeRecord } from '../records/write-record';
import { sha256Hex } from './agency-directory';

export const DEMO_INBOX_AGENCY_ID = 'bayou-haven-shelter';

/** The demo agencies `npm start` seeds, with tokens meant to be printed, never used in production. */
export const DEMO_AGENCIES = [
  {
    agency: { id: 'hsi-new-orleans', name: 'HSI New Orleans Field Office', kind: 'federal-law-enforcement', department: 'DHS', jurisdiction: ['Orleans', 'Jefferson'] },
    token: 'demo-hsi-token',
  },
  {
    agency: { id: 'st-bernard-sheriff', name: "St. Bernard Parish Sheriff's Office", kind: 'local-law-enforcement', jurisdiction: ['St. Bernard'] },
    token: 'demo-sheriff-token',
  },
  {
    agency: { id: DEMO_INBOX_AGENCY_ID, name: 'Bayou Haven Shelter', kind: 'victim-service-provider', jurisdiction: [] },
    token: 'demo-shelter-token',
  },
] as const;

export const DEMO_ADMIN_TOKEN = 'demo-admin-token';

/** Who the seed acts as: the exchange's own administration, not an agency. */
export const ADMIN_ACTOR = { agencyId: 'crescent-admin', agencyKind: 'exchange-admin' } as const;

/**
 * Registers the demo agencies and publishes the demo policies, once: a second start finds them
 * in the store and writes nothing.
 */
export async function seedDemo(store: EventStore): Promise<void> {
  const metadata = (): CommandMetadata => ({ ...ADMIN_ACTOR, now: new Date().toISOString(), correlationId: 'demo-seed' });
  for (const { agency, token } of DEMO_AGENCIES) {
    const command = {
      type: 'RegisterAgency',
      data: { agencyId: agency.id, name: agency.name, kind: agency.kind, ...('department' in agency ? { department: agency.department } : {}), jurisdiction: agency.jurisdiction, credentialSha256: sha256Hex(token) },
      metadata: metadata(),
    };
    await writeRecord(store, 'agency', agency.id, command, 0).catch(ignoreExisting);
  }
  for (const policy of DEMO_POLICIES) {
    const command = { type: 'PublishSharingPolicy', data: policy, metadata: metadata() };
    await writeRecord(store, 'sharing-policy', policy.policyId, command, 0).catch(ignoreExisting);
  }
  for (const subscription of DEMO_SUBSCRIPTIONS) {
    const command = { type: 'CreateSubscription', data: subscription, metadata: metadata() };
    await writeRecord(store, 'subscription', subscription.subscriptionId, command, 0).catch(ignoreExisting);
  }
  await seedJointCase(store);
}

/** HSI's case in Orleans Parish with the St. Bernard sheriff's office on its team: the sheriff has a need to know it (28 CFR 23.20(e)). */
export const DEMO_JOINT_CASE_ID = '7e0c2a64-3f5b-4c1e-9a8d-2b6f0e4d1c93';

async function seedJointCase(store: EventStore): Promise<void> {
  const [hsi, sheriff] = DEMO_AGENCIES;
  const metadata = (): CommandMetadata => ({ agencyId: hsi.agency.id, agencyKind: hsi.agency.kind, agencyDepartment: hsi.agency.department, now: new Date().toISOString(), correlationId: 'demo-seed' });
  const opened = {
    type: 'OpenCase',
    data: { caseId: DEMO_JOINT_CASE_ID, title: 'Operation Chef Menteur', parish: 'Orleans', leadInvestigator: { name: 'SA Dana Example', badgeNumber: 'HSI-4471', phone: '+1 504 555 0199' } },
    metadata: metadata(),
  };
  await writeRecord(store, 'case', DEMO_JOINT_CASE_ID, opened, 0).catch(ignoreExisting);
  const team = { type: 'AddCaseTeamMember', data: { caseId: DEMO_JOINT_CASE_ID, agencyId: sheriff.agency.id }, metadata: metadata() };
  await writeRecord(store, 'case', DEMO_JOINT_CASE_ID, team, 1).catch(ignoreExisting);
}

/** What each demo agency asks for, at the current record versions; their policies decide what they get of it. */
const DEMO_SUBSCRIPTIONS: readonly SubscriptionTerms[] = [
  subscription('bayou-haven-shelter', 'victim-referral', 2),
  subscription('st-bernard-sheriff', 'victim-referral', 2),
  subscription('st-bernard-sheriff', 'arrest-record', 1),
  subscription('st-bernard-sheriff', 'case', 1),
  subscription('hsi-new-orleans', 'arrest-record', 1),
  subscription('hsi-new-orleans', 'case', 1),
  subscription('hsi-new-orleans', 'consent', 1),
];

function subscription(agencyId: string, recordType: SharableRecordType, schemaVersion: number): SubscriptionTerms {
  return { subscriptionId: `${agencyId}-${recordType}`, agencyId, recordType, schemaVersion, filters: {}, backfill: false };
}

/** Written by an earlier start, or by another instance seeding at the same moment: the same thing. */
function ignoreExisting(error: unknown): void {
  if (!(error instanceof WrongExpectedRevisionError)) throw error;
}
