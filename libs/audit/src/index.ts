export {
  AccessAudit,
  type AccessAuditOptions,
  type AccessAuditQuery,
  type AccessAuditRow,
  type AccessAuditVerification,
} from './access-audit';
export { ACCESS_AUDIT_MIGRATIONS } from './access-audit.migrations';
export {
  ACCESS_CATEGORIES,
  ACCESS_OUTCOMES,
  type AccessCategory,
  type AccessEntry,
  type AccessOutcome,
  assertValidAccessEntry,
  outcomeOf,
  PERSON_REFERENCE,
  PRINCIPAL,
  type Principal,
  RECORD_ID,
} from './access-entry';
export { type AuditedRecord, type HttpExchange, httpAccessEntry, isAdmin, markAdmin, markPerson, noteAuditedRecord, notedRecordOf, noteOnBehalfOf, onBehalfOfNoted, noteRefusedAgency, personOf, refusedAgencyOf } from './http-access';
