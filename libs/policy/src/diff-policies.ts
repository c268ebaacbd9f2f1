import { FieldRule, SharingPolicy } from '@crescent/domain';

/** What changes between two versions of a policy, rule by rule (rules are keyed by path). */
export interface PolicyDiff {
  readonly added: readonly FieldRule[];
  readonly removed: readonly FieldRule[];
  readonly changed: readonly { readonly path: string; readonly from: FieldRule; readonly to: FieldRule }[];
  readonly purpose?: { readonly from: string; readonly to: string };
  readonly addresseeOnly?: { readonly from: boolean; readonly to: boolean };
}

const canonical = (rule: FieldRule) => JSON.stringify([rule.action, rule.keepLast, rule.to, rule.when?.recipientKinds, rule.when?.originKinds, rule.when?.requiresConsent]);

export function diffPolicies(from: SharingPolicy, to: SharingPolicy): PolicyDiff {
  const before = new Map(from.rules.map((rule) => [rule.path, rule]));
  const after = new Map(to.rules.map((rule) => [rule.path, rule]));
  return {
    added: to.rules.filter((rule) => !before.has(rule.path)),
    removed: from.rules.filter((rule) => !after.has(rule.path)),
    changed: to.rules.flatMap((rule) => {
      const old = before.get(rule.path);
      return old && canonical(old) !== canonical(rule) ? [{ path: rule.path, from: old, to: rule }] : [];
    }),
    ...(from.purpose !== to.purpose && { purpose: { from: from.purpose, to: to.purpose } }),
    ...(from.addresseeOnly !== to.addresseeOnly && { addresseeOnly: { from: from.addresseeOnly, to: to.addresseeOnly } }),
  };
}

/**
 * Whether a recipient may receive less under `to` than under `from`. Read safely: only rules added
 * as plain `include` widen; a rule removed or changed, a new purpose, addressee-only turned on or any
 * other added rule (a `drop` or a transform under an included parent) may narrow.
 */
export function narrows(from: SharingPolicy, to: SharingPolicy): boolean {
  const diff = diffPolicies(from, to);
  return (
    diff.removed.length > 0 ||
    diff.changed.length > 0 ||
    diff.purpose !== undefined ||
    diff.addresseeOnly?.to === true ||
    diff.added.some((rule) => rule.action !== 'include' || rule.when !== undefined)
  );
}
