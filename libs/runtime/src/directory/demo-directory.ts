import { DEMO_INBOX_AGENCY_ID } from '../config';
import { DirectoryContents, sha256 } from './agency-directory';

/** The demo agencies `npm start` seeds, with tokens meant to be printed, never used in production. */
export const DEMO_AGENCIES = [
  {
    agency: { id: 'hsi-new-orleans', name: 'HSI New Orleans Field Office', kind: 'federal-law-enforcement', dhsComponent: true },
    token: 'demo-hsi-token',
  },
  {
    agency: { id: 'st-bernard-sheriff', name: "St. Bernard Parish Sheriff's Office", kind: 'local-law-enforcement', dhsComponent: false },
    token: 'demo-sheriff-token',
  },
  {
    agency: { id: DEMO_INBOX_AGENCY_ID, name: 'Bayou Haven Shelter', kind: 'victim-service-provider', dhsComponent: false },
    token: 'demo-shelter-token',
  },
] as const;

export function demoDirectory(): DirectoryContents {
  return {
    agencies: DEMO_AGENCIES.map(({ agency }) => agency),
    credentials: DEMO_AGENCIES.map(({ agency, token }) => ({ agencyId: agency.id, tokenSha256: sha256(token).toString('hex') })),
    policies: [
      {
        // A shelter learns how to reach and help the victim it is referred: never the date of birth
        // (not needed for services) nor immigration status (8 U.S.C. 1367 keeps it inside DHS).
        recipientAgencyId: DEMO_INBOX_AGENCY_ID,
        recordType: 'VictimReferral',
        version: 1,
        addresseeOnly: true,
        rules: [
          { path: 'referralId', action: 'include' },
          { path: 'referringAgencyId', action: 'include' },
          { path: 'submittedAt', action: 'include' },
          { path: 'victim.givenName', action: 'include' },
          { path: 'victim.familyName', action: 'include' },
          { path: 'victim.phone', action: 'include' },
          { path: 'victim.preferredLanguages', action: 'include' },
          { path: 'needs', action: 'include' },
          { path: 'dependents', action: 'generalize', to: 'count' },
        ],
      },
    ],
  };
}
