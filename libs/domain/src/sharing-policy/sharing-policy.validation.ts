import { isAgencyKind } from '../agency/agency';
import { CONSENT_PURPOSES } from '../consent/consent';
import { DomainError } from '../domain-error';
import { requireText } from '../validation';
import { FIELD_ACTIONS, FieldRule, GENERALIZATIONS, SHARABLE_RECORD_TYPES, SharingPolicy } from './sharing-policy';

/** Plain identifiers only: `__proto__` and friends can never become a path into a payload. */
const PATH_SEGMENT = /^[A-Za-z][A-Za-z0-9]*$/;
const MAX_KEEP_LAST = 16;

function refuse(code: string, message: string): never {
  throw new DomainError('validation', `SHARING_POLICY.${code}`, message);
}

/**
 * Everything a policy must be before it is published or previewed. Exported so a draft is held to
 * the same rules as a publication.
 */
export function validateSharingPolicy(policy: SharingPolicy): void {
  requireText(policy.policyId, 'SHARING_POLICY.POLICY_ID_REQUIRED', 'a policy id');
  validateAppliesTo(policy.appliesTo);
  if (!(SHARABLE_RECORD_TYPES as readonly string[]).includes(policy.recordType)) {
    refuse('RECORD_TYPE_NOT_SHARABLE', `policies cover ${SHARABLE_RECORD_TYPES.join(', ')} records`);
  }
  if (!(CONSENT_PURPOSES as readonly string[]).includes(policy.purpose)) {
    refuse('UNKNOWN_PURPOSE', `the purpose is one of ${CONSENT_PURPOSES.join(', ')}`);
  }
  if (typeof policy.addresseeOnly !== 'boolean') refuse('ADDRESSEE_ONLY_REQUIRED', 'say whether the policy covers addressed records only');
  if (!Array.isArray(policy.rules)) refuse('RULES_REQUIRED', 'rules is a list (it may be empty)');
  const paths = new Set<string>();
  for (const [index, rule] of policy.rules.entries()) {
    validateRule(rule, index + 1);
    if (paths.has(rule.path)) refuse('DUPLICATE_PATH', `rule ${index + 1}: ${rule.path} already has a rule`);
    paths.add(rule.path);
  }
  for (const rule of policy.rules) {
    if (rule.action === 'include' || rule.action === 'drop') continue;
    const nested = policy.rules.find((other) => other.path.startsWith(`${rule.path}.`));
    if (nested) refuse('NESTED_UNDER_TRANSFORM', `${nested.path} lies inside ${rule.path}, which is ${rule.action}d as a whole`);
  }
}

function validateAppliesTo(appliesTo: SharingPolicy['appliesTo']): void {
  const keys = appliesTo && typeof appliesTo === 'object' ? Object.keys(appliesTo) : [];
  if (keys.length !== 1) refuse('INVALID_APPLIES_TO', 'a policy applies to one agency ({ agencyId }) or one kind of agency ({ agencyKind })');
  if ('agencyId' in appliesTo) requireText(appliesTo.agencyId, 'SHARING_POLICY.INVALID_APPLIES_TO', 'the agency the policy applies to');
  else if (!('agencyKind' in appliesTo) || !isAgencyKind(appliesTo.agencyKind)) refuse('INVALID_APPLIES_TO', 'unknown agency kind');
}

function validateRule(rule: FieldRule, number: number): void {
  const where = `rule ${number}`;
  if (typeof rule?.path !== 'string' || !rule.path.split('.').every((segment) => PATH_SEGMENT.test(segment))) {
    refuse('INVALID_PATH', `${where}: a path is dotted plain identifiers, such as victim.phone`);
  }
  if (!(FIELD_ACTIONS as readonly string[]).includes(rule.action)) refuse('UNKNOWN_ACTION', `${where}: unknown action ${String(rule.action)}`);
  if (rule.action === 'generalize' ? !(GENERALIZATIONS as readonly string[]).includes(rule.to as string) : rule.to !== undefined) {
    refuse('INVALID_GENERALIZATION', `${where}: generalize takes to: ${GENERALIZATIONS.join(' | ')}, and only generalize takes it`);
  }
  if (rule.keepLast !== undefined) {
    const valid = rule.action === 'mask' && Number.isInteger(rule.keepLast) && rule.keepLast >= 0 && rule.keepLast <= MAX_KEEP_LAST;
    if (!valid) refuse('INVALID_KEEP_LAST', `${where}: keepLast is a whole number from 0 to ${MAX_KEEP_LAST}, for mask only`);
  }
  validateCondition(rule.when, where);
}

function validateCondition(when: FieldRule['when'], where: string): void {
  if (when === undefined) return;
  if (when === null || typeof when !== 'object') refuse('INVALID_CONDITION', `${where}: when is an object`);
  for (const kinds of [when.recipientKinds, when.originKinds]) {
    if (kinds !== undefined && (!Array.isArray(kinds) || !kinds.every(isAgencyKind))) {
      refuse('INVALID_CONDITION', `${where}: recipientKinds and originKinds list agency kinds`);
    }
  }
  if (when.requiresConsent !== undefined && typeof when.requiresConsent !== 'boolean') {
    refuse('INVALID_CONDITION', `${where}: requiresConsent is true or false`);
  }
}
