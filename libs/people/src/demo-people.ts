import { DomainError } from '@crescent/domain';
import { NewPerson, PeopleAccounts, PeopleRealm } from './people-accounts';

/** The demo's sign-ins, printed by `npm start`: public values, for this machine only, never seeded outside the demo. */
export const DEMO_PEOPLE: Readonly<Record<PeopleRealm, readonly Omit<NewPerson, 'agencyId'>[]>> = {
  inbox: [
    { username: 'caseworker@shelter', displayName: 'Casey Caseworker', role: 'caseworker', password: 'demo-caseworker-password' },
    { username: 'supervisor@shelter', displayName: 'Sam Supervisor', role: 'supervisor', password: 'demo-supervisor-password' },
  ],
  admin: [{ username: 'admin', displayName: 'Exchange Administrator', role: 'admin', password: 'demo-admin-password' }],
};

/** Adds the realm's demo people that are missing; the inbox's act for the agency it serves. */
export async function seedDemoPeople(accounts: PeopleAccounts, realm: PeopleRealm, agencyId?: string): Promise<void> {
  for (const person of DEMO_PEOPLE[realm]) {
    if (await accounts.exists(person.username)) continue;
    await accounts.add({ ...person, ...(agencyId ? { agencyId } : {}) }).catch((error: unknown) => {
      // Another process of the same deployment seeded it first.
      if (!(error instanceof DomainError && error.code === 'PERSON.USERNAME_TAKEN')) throw error;
    });
  }
}
