export { hashPassword, SCRYPT_COST, verifyPassword } from './password-hash';
export { LOCKOUT_MS, LOCKOUT_THRESHOLD, SESSION_ABSOLUTE_MS, SESSION_IDLE_MS } from './sign-in-rules';
export { BAD_CREDENTIALS, LOCKED, type NewPerson, PeopleAccounts, type PeopleRealm, type Person, PERSON_ROLES, type PersonRole, type PersonSession } from './people-accounts';
export { peopleMigrations } from './people.migrations';
export { authenticateBySession, CSRF_HEADER, CurrentPersonSession, personSessionOf, type PersonRequest, sessionCookieName } from './person-session';
export { PEOPLE_ACCOUNTS, sessionController } from './session.controller';
export { PersonDto, SessionDto } from './session.dto';
export { DEMO_PEOPLE, seedDemoPeople } from './demo-people';
