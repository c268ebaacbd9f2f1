/**
 * A plain reference model of docs/disclosure-rules.md, written from the table and the statutes, not from
 * the engine. Straight loops over the feed, no caches, no compilation: slow and obvious on purpose.
 * Transforms (mask, pseudonymize, generalize) are the engine's exported functions: they are not what
 * this oracle is about (the brief allows importing them).
 */
import { Agency, FieldRule, SharingPolicy } from '@crescent/domain';
import { generalize, mask, pseudonymize, PseudonymKeys } from '@crescent/policy';

/** Any event of the feed, as plain data. */
export interface AnyEvent {
  readonly type: string;
  readonly data: Record<string, unknown>;
  readonly metadata: { readonly agencyId: string; readonly agencyKind: string; readonly now: string };
}

export interface ModelInput {
  readonly history: readonly AnyEvent[];
  readonly event: AnyEvent;
  readonly recipient: Agency;
  readonly policy: SharingPolicy | undefined;
  readonly keys: PseudonymKeys;
  readonly disclosedAt: string;
}

export type ModelResult =
  | { readonly received: false; readonly gate: string }
  | { readonly received: true; readonly payload: Record<string, unknown>; readonly disclosed: string[]; readonly withheld: string[] };

const VSP = 'victim-service-provider';
const CRIMINAL_JUSTICE = ['federal-law-enforcement', 'local-law-enforcement', 'prosecutor'];
const IMMIGRATION_EVENTS = [
  'LawEnforcementDisclosureAuthorized',
  'ImmigrationConfidentialityWaived',
  'ImmigrationReliefFinallyDenied',
];
const SERVICE_EVENTS = ['VictimReferralAcknowledged', 'VictimReferralAccepted', 'VictimReferralDeclined', 'VictimReferralInformationRequested'];
const REFERRAL_EVENTS = [
  'VictimReferralSubmitted',
  'VictimReferralWithdrawn',
  'VictimContactUpdated',
  'VictimReferralInformationProvided',
  'VictimReferralCorrected',
  ...SERVICE_EVENTS,
  ...IMMIGRATION_EVENTS,
];
const CASE_EVENTS = ['CaseOpened', 'RecordLinkedToCase', 'CaseClosed', 'CaseTeamMemberAdded', 'CaseTeamMemberRemoved'];
const ARREST_EVENTS = ['ArrestRecorded', 'ArrestChargesAmended', 'ArrestRecordSealed', 'ArrestRecordExpunged', 'ArresteeRelationshipRecorded'];
const RELATIONSHIP = 'arrestee.relationshipToVictim';
const CONSENT_EVENTS = ['ConsentRecorded', 'ConsentRevoked'];

const PII_PATHS: Record<string, string[]> = {
  'victim-referral': [
    'victim.givenName',
    'victim.familyName',
    'victim.dateOfBirth',
    'victim.nationality',
    'victim.phone',
    'victim.preferredLanguages',
    'victim.isMinor',
    'phone',
    'preferredLanguages',
    'needs',
    'foundAt',
    'dependents',
  ],
  consent: ['guardian'],
  'arrest-record': [],
  case: [],
};

export function recordTypeOf(type: string): string {
  if (REFERRAL_EVENTS.includes(type)) return 'victim-referral';
  if (CASE_EVENTS.includes(type)) return 'case';
  if (ARREST_EVENTS.includes(type)) return 'arrest-record';
  if (CONSENT_EVENTS.includes(type)) return 'consent';
  if (type.startsWith('Agency')) return 'agency';
  if (type.startsWith('Subscription')) return 'subscription';
  return 'sharing-policy';
}

/** The field of an event's data naming its record, per sharable record type. */
export const ID_FIELD: Record<string, string> = { 'victim-referral': 'referralId', case: 'caseId', 'arrest-record': 'arrestRecordId', consent: 'consentId' };

/** `a` is `b` or under it. */
function isAtOrUnder(a: string, b: string): boolean {
  return a === b || a.startsWith(b + '.');
}

function norm(text: unknown): string {
  return typeof text === 'string' ? text.trim().replace(/\s+/g, ' ').toLowerCase() : '';
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The facts of the feed, recomputed by scanning it every time. */
class Feed {
  constructor(readonly all: readonly AnyEvent[]) {}

  of(type: string, field: string, id: string): AnyEvent[] {
    const found: AnyEvent[] = [];
    for (const event of this.all) if (event.type === type && event.data[field] === id) found.push(event);
    return found;
  }

  first(type: string, field: string, id: string): AnyEvent | undefined {
    return this.of(type, field, id)[0];
  }

  /** Submission and corrections of a referral, in feed order. */
  referralVersions(referralId: string): AnyEvent[] {
    const versions: AnyEvent[] = [];
    for (const event of this.all) {
      if ((event.type === 'VictimReferralSubmitted' || event.type === 'VictimReferralCorrected') && event.data.referralId === referralId) versions.push(event);
    }
    return versions;
  }

  isProtected(referralId: string): boolean {
    let applied = false;
    for (const version of this.referralVersions(referralId)) if (version.data.immigrationReliefStatus !== 'none') applied = true;
    if (!applied) return false;
    return this.of('ImmigrationReliefFinallyDenied', 'referralId', referralId).length === 0;
  }

  hasException(referralId: string, agencyId: string): boolean {
    if (this.of('ImmigrationConfidentialityWaived', 'referralId', referralId).length > 0) return true;
    // (b)(7): the submission or a correction carries her written consent to the referral's addressee.
    const [submission, ...corrections] = this.referralVersions(referralId);
    const consented = [submission, ...corrections].some((version) => version?.data.victimServicesConsent !== undefined);
    if (consented && submission?.data.referredToAgencyId === agencyId) return true;
    for (const event of this.of('LawEnforcementDisclosureAuthorized', 'referralId', referralId)) if (event.data.recipientAgencyId === agencyId) return true;
    return false;
  }

  /** Protected and not open to this agency: an outside agency may not see it. */
  closedTo(referralId: string, agencyId: string): boolean {
    return this.isProtected(referralId) && !this.hasException(referralId, agencyId);
  }

  isSealed(arrestRecordId: string): boolean {
    return this.of('ArrestRecordSealed', 'arrestRecordId', arrestRecordId).length > 0 || this.of('ArrestRecordExpunged', 'arrestRecordId', arrestRecordId).length > 0;
  }

  latestVictimField(referralId: string, field: string): unknown {
    let value: unknown = undefined;
    for (const version of this.referralVersions(referralId)) {
      const victim = version.data.victim as Record<string, unknown> | undefined;
      value = victim?.[field];
    }
    return value;
  }

  referralParish(referralId: string): unknown {
    let parish: unknown = undefined;
    for (const version of this.referralVersions(referralId)) parish = (version.data.foundAt as Record<string, unknown> | undefined)?.parish;
    return parish;
  }

  casesLinking(recordType: string, recordId: string): string[] {
    const cases: string[] = [];
    for (const event of this.all) {
      if (event.type === 'RecordLinkedToCase' && event.data.recordType === recordType && event.data.recordId === recordId) {
        const caseId = event.data.caseId as string;
        if (!cases.includes(caseId)) cases.push(caseId);
      }
    }
    return cases;
  }

  linkedTo(caseId: string, recordType: string): string[] {
    const ids: string[] = [];
    for (const event of this.all) {
      if (event.type === 'RecordLinkedToCase' && event.data.caseId === caseId && event.data.recordType === recordType) ids.push(event.data.recordId as string);
    }
    return ids;
  }

  onTeam(caseId: string, agencyId: string): boolean {
    let member = false;
    for (const event of this.all) {
      if (event.data.caseId !== caseId || event.data.agencyId !== agencyId) continue;
      if (event.type === 'CaseTeamMemberAdded') member = true;
      if (event.type === 'CaseTeamMemberRemoved') member = false;
    }
    return member;
  }

  /**
   * How the arrestees in the victim's matter (arrests listing the referral, or linked to a case that
   * links it) stand to her: per arrest, the last relationship recorded, at the arrest or after it.
   */
  arresteeRelationships(referralId: string): unknown[] {
    const arrestIds: string[] = [];
    for (const event of this.all) {
      if (event.type === 'ArrestRecorded' && strings(event.data.victimReferralIds).includes(referralId)) arrestIds.push(event.data.arrestRecordId as string);
    }
    for (const caseId of this.casesLinking('victim-referral', referralId)) for (const arrestId of this.linkedTo(caseId, 'arrest-record')) arrestIds.push(arrestId);
    const relationships: unknown[] = [];
    for (const arrestId of arrestIds) {
      let recorded = false;
      let relationship: unknown;
      for (const event of this.all) {
        if (event.data.arrestRecordId !== arrestId) continue;
        if (event.type === 'ArrestRecorded') {
          recorded = true;
          const arrestee = event.data.arrestee as Record<string, unknown> | undefined;
          if (arrestee?.relationshipToVictim !== undefined) relationship = arrestee.relationshipToVictim;
        }
        if (event.type === 'ArresteeRelationshipRecorded' && recorded) relationship = (event.data.arrestee as Record<string, unknown>).relationshipToVictim;
      }
      if (relationship) relationships.push(relationship);
    }
    return relationships;
  }

  /** A consent in force at `at` for the referral, naming the recipient, for the purpose, covering the path. */
  consentCovers(referralId: string, recipientId: string, purpose: string, path: string, at: string): boolean {
    for (const consent of this.all) {
      if (consent.type !== 'ConsentRecorded') continue;
      const c = consent.data;
      if (c.referralId !== referralId) continue;
      if (c.written !== true || c.informed !== true) continue;
      if (this.of('ConsentRevoked', 'consentId', c.consentId as string).length > 0) continue;
      if (!(Date.parse(c.expiresAt as string) > Date.parse(at))) continue;
      if (!strings(c.recipientAgencyIds).includes(recipientId)) continue;
      if (!strings(c.purposes).includes(purpose)) continue;
      let covered = false;
      for (const field of strings(c.fields)) if (isAtOrUnder(path, field)) covered = true;
      if (!covered) continue;
      const minor = c.victimIsMinor === true || this.latestVictimField(referralId, 'isMinor') === true;
      if (minor) {
        const guardian = c.guardian as Record<string, unknown> | undefined;
        if (!guardian || typeof guardian.name !== 'string' || guardian.name.trim() === '') continue; // a minor's consent needs a named guardian
        if (typeof guardian.relationship !== 'string' || guardian.relationship === '') continue; // ... and her relationship to the minor
        if (this.arresteeRelationships(referralId).includes(guardian.relationship)) continue; // an arrest in the matter records her relationship: a suspect
      }
      return true;
    }
    return false;
  }
}

interface Context {
  readonly feed: Feed;
  readonly event: AnyEvent;
  readonly recordType: string;
  readonly recipient: Agency;
  readonly policy: SharingPolicy;
  readonly keys: PseudonymKeys;
  readonly at: string;
  readonly originKind: string | undefined;
  readonly referrals: string[];
  readonly outside: boolean;
}

function consentForRecord(ctx: Context, path: string): boolean {
  if (ctx.referrals.length === 0) return false;
  for (const referralId of ctx.referrals) if (!ctx.feed.consentCovers(referralId, ctx.recipient.id, ctx.policy.purpose, path, ctx.at)) return false;
  return true;
}

function governingRule(rules: readonly FieldRule[], path: string): FieldRule | undefined {
  let best: FieldRule | undefined;
  for (const rule of rules) if (isAtOrUnder(path, rule.path) && (!best || rule.path.length > best.path.length)) best = rule;
  return best;
}

const TRANSFORMS = ['mask', 'pseudonymize', 'generalize'];

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function copy(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(copy);
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value)) if (key !== '__proto__') out[key] = copy(value[key]);
    return out;
  }
  return value;
}

/** F4-F14 for one unit: the value to disclose, or undefined (withheld). */
function decideUnit(ctx: Context, path: string, value: unknown, rule: FieldRule | undefined): unknown {
  if (!rule) return undefined; // F2
  if (rule.action === 'drop') return undefined; // F3
  if (ctx.outside && ctx.recordType === 'victim-referral' && (isAtOrUnder(path, 'immigrationReliefStatus') || isAtOrUnder(path, 'victimServicesConsent'))) return undefined; // F4
  if (ctx.outside && ctx.recordType === 'arrest-record') {
    for (const guarded of ['victimReferralIds', RELATIONSHIP]) {
      if (!isAtOrUnder(path, guarded) && !isAtOrUnder(guarded, path)) continue;
      for (const referralId of ctx.referrals) if (ctx.feed.closedTo(referralId, ctx.recipient.id)) return undefined; // F5
    }
  }
  if (ctx.originKind === VSP || ctx.event.metadata.agencyKind === VSP) {
    for (const pii of PII_PATHS[ctx.recordType]) {
      const overlap = isAtOrUnder(path, pii) ? path : isAtOrUnder(pii, path) ? pii : undefined;
      if (overlap !== undefined && !consentForRecord(ctx, overlap)) return undefined; // F6
    }
  }
  const when = rule.when;
  if (when?.recipientKinds && !when.recipientKinds.includes(ctx.recipient.kind)) return undefined; // F7
  if (when?.originKinds && !(when.originKinds as readonly string[]).includes(ctx.originKind as string)) return undefined; // F8
  if (when?.requiresConsent && !consentForRecord(ctx, path)) return undefined; // F9
  switch (rule.action) {
    case 'include':
      return copy(value); // F10
    case 'mask':
      return mask(value, rule.keepLast ?? 4); // F11, F14
    case 'pseudonymize':
      return pseudonymize(value, path, ctx.keys(ctx.recipient.id)); // F12, F14
    case 'generalize':
      return rule.to === undefined ? undefined : generalize(value, rule.to, ctx.event.metadata.now); // F13, F14
    default:
      return undefined;
  }
}

function setAt(payload: Record<string, unknown>, path: string[], value: unknown): void {
  let node = payload;
  for (let i = 0; i < path.length - 1; i++) {
    if (!isObject(node[path[i]])) node[path[i]] = {};
    node = node[path[i]] as Record<string, unknown>;
  }
  node[path[path.length - 1]] = value;
}

function walk(ctx: Context, value: Record<string, unknown>, prefix: string[], payload: Record<string, unknown>, disclosed: string[], withheld: string[]): void {
  for (const key of Object.keys(value)) {
    const segments = [...prefix, key];
    const path = segments.join('.');
    const child = value[key];
    if (key === '__proto__') {
      withheld.push(path); // F1: the key is withheld whole, whatever it holds
      continue;
    }
    const rule = governingRule(ctx.policy.rules, path);
    const isWholeValue = rule !== undefined && TRANSFORMS.includes(rule.action);
    if (isObject(child) && Object.keys(child).length > 0 && !isWholeValue) {
      walk(ctx, child, segments, payload, disclosed, withheld);
      continue;
    }
    const result = decideUnit(ctx, path, child, rule);
    if (result === undefined) withheld.push(path);
    else {
      disclosed.push(path);
      setAt(payload, segments, result);
    }
  }
}

export function expectedProjection(input: ModelInput): ModelResult {
  const { history, event, recipient, policy, keys, disclosedAt } = input;
  const feed = new Feed([...history, event]);
  const recordType = recordTypeOf(event.type);
  // G1
  if (!['victim-referral', 'case', 'arrest-record', 'consent'].includes(recordType)) return { received: false, gate: 'G1 not sharable' };
  // G2
  if (!policy || policy.recordType !== recordType) return { received: false, gate: 'G2 no policy' };
  const recordId = event.data[ID_FIELD[recordType]] as string;

  let creation: AnyEvent | undefined;
  let originator: unknown;
  let addressees: string[] = [];
  let referrals: string[] = [];
  if (recordType === 'victim-referral') {
    creation = feed.first('VictimReferralSubmitted', 'referralId', recordId);
    originator = creation?.data.referringAgencyId;
    addressees = creation && typeof creation.data.referredToAgencyId === 'string' ? [creation.data.referredToAgencyId] : [];
    referrals = [recordId];
  } else if (recordType === 'consent') {
    creation = feed.first('ConsentRecorded', 'consentId', recordId);
    originator = creation?.data.recordingAgencyId;
    addressees = strings(creation?.data.recipientAgencyIds);
    referrals = creation && typeof creation.data.referralId === 'string' ? [creation.data.referralId] : [];
  } else if (recordType === 'arrest-record') {
    creation = feed.first('ArrestRecorded', 'arrestRecordId', recordId);
    originator = creation?.data.arrestingAgencyId;
    referrals = strings(creation?.data.victimReferralIds);
  } else {
    creation = feed.first('CaseOpened', 'caseId', recordId);
    originator = creation?.data.openingAgencyId;
    for (const referralId of feed.linkedTo(recordId, 'victim-referral')) if (!referrals.includes(referralId)) referrals.push(referralId);
  }
  // G3: the originator holds what it wrote of its record
  if (event.metadata.agencyId === recipient.id && originator === recipient.id) return { received: false, gate: 'G3 originator wrote it' };
  // G4
  if (policy.addresseeOnly && !addressees.includes(recipient.id)) return { received: false, gate: 'G4 addressee only' };
  // G5
  if (recordType === 'arrest-record' && feed.isSealed(recordId)) return { received: false, gate: 'G5 sealed' };
  if (event.type === 'RecordLinkedToCase' && event.data.recordType === 'arrest-record' && feed.isSealed(event.data.recordId as string)) {
    return { received: false, gate: 'G5 link to sealed' };
  }
  const outside = recipient.department === undefined;
  if (outside) {
    // G6
    if (IMMIGRATION_EVENTS.includes(event.type)) return { received: false, gate: 'G6 1367 event' };
    // G7
    if (recordType === 'victim-referral' && feed.closedTo(recordId, recipient.id)) return { received: false, gate: 'G7 protected referral' };
    if (recordType === 'consent' && referrals.length > 0 && feed.closedTo(referrals[0], recipient.id)) return { received: false, gate: 'G7 consent of protected referral' };
    if (event.type === 'RecordLinkedToCase' && event.data.recordType === 'victim-referral' && feed.closedTo(event.data.recordId as string, recipient.id)) {
      return { received: false, gate: 'G7 link to protected referral' };
    }
  }
  const ctx: Context = { feed, event, recordType, recipient, policy, keys, at: disclosedAt, originKind: creation?.metadata.agencyKind, referrals, outside };
  // G8 (the provider itself gets its own steps back)
  if (SERVICE_EVENTS.includes(event.type) && event.metadata.agencyKind === VSP && event.metadata.agencyId !== recipient.id && !consentForRecord(ctx, 'status')) {
    return { received: false, gate: 'G8 VAWA service event' };
  }
  // G9
  if (CRIMINAL_JUSTICE.includes(recipient.kind) && recordType !== 'consent' && !needToKnow(feed, recordType, recordId, addressees, recipient)) {
    return { received: false, gate: 'G9 need to know' };
  }
  const payload: Record<string, unknown> = {};
  const disclosed: string[] = [];
  const withheld: string[] = [];
  walk(ctx, event.data, [], payload, disclosed, withheld);
  // G10
  if (disclosed.length === 0) return { received: false, gate: 'G10 nothing disclosed' };
  // G11
  if (event.type === 'ArresteeRelationshipRecorded' && !disclosed.some((path) => isAtOrUnder(path, RELATIONSHIP) || isAtOrUnder(RELATIONSHIP, path))) {
    return { received: false, gate: 'G11 relationship withheld' };
  }
  return { received: true, payload, disclosed, withheld };
}

function inJurisdiction(recipient: Agency, parish: unknown): boolean {
  if (typeof parish !== 'string') return false;
  for (const served of recipient.jurisdiction) if (norm(served) === norm(parish)) return true;
  return false;
}

function caseGrants(feed: Feed, caseId: string, recipient: Agency): boolean {
  const opened = feed.first('CaseOpened', 'caseId', caseId);
  if (opened && inJurisdiction(recipient, opened.data.parish)) return true;
  if (opened && opened.data.openingAgencyId === recipient.id) return true;
  return feed.onTeam(caseId, recipient.id);
}

function needToKnow(feed: Feed, recordType: string, recordId: string, addressees: string[], recipient: Agency): boolean {
  if (addressees.includes(recipient.id)) return true;
  if (recordType === 'case') return caseGrants(feed, recordId, recipient);
  let parish: unknown;
  if (recordType === 'victim-referral') parish = feed.referralParish(recordId);
  else parish = (feed.first('ArrestRecorded', 'arrestRecordId', recordId)?.data.place as Record<string, unknown> | undefined)?.parish;
  if (inJurisdiction(recipient, parish)) return true;
  for (const caseId of feed.casesLinking(recordType, recordId)) if (caseGrants(feed, caseId, recipient)) return true;
  return false;
}
