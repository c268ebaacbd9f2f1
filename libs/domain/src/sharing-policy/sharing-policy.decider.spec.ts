import { givenWhenThen, publishSharingPolicy, sharingPolicy, sharingPolicyPublished } from '../testing';
import { FieldRule, SharingPolicy } from './sharing-policy';
import { sharingPolicyDecider } from './sharing-policy.decider';

const given = givenWhenThen(sharingPolicyDecider);
const withRules = (...rules: FieldRule[]): Partial<SharingPolicy> => ({ rules });

describe('publishing a sharing policy', () => {
  it('given no history, when an admin publishes a policy, then it is version 1', () => {
    given().when(publishSharingPolicy()).then(sharingPolicyPublished(1));
  });

  it('numbers each further publication after the ones before it', () => {
    const tighter = withRules({ path: 'referralId', action: 'include' });
    given(sharingPolicyPublished(1), sharingPolicyPublished(2)).when(publishSharingPolicy(tighter)).then(sharingPolicyPublished(3, tighter));
  });

  it('publishes a policy with no rules, which grants nothing', () => {
    given(sharingPolicyPublished(1)).when(publishSharingPolicy(withRules())).then(sharingPolicyPublished(2, withRules()));
  });

  it.each([
    ['another agency', { appliesTo: { agencyId: 'other-shelter' } }, 'SHARING_POLICY.APPLIES_TO_CHANGED'],
    ['a kind of agency instead of the agency', { appliesTo: { agencyKind: 'victim-service-provider' } }, 'SHARING_POLICY.APPLIES_TO_CHANGED'],
    ['another record type', { recordType: 'consent' }, 'SHARING_POLICY.RECORD_TYPE_CHANGED'],
  ] as const)('refuses a later version that applies to %s than version 1', (_what, overrides, code) => {
    given(sharingPolicyPublished(1)).when(publishSharingPolicy(overrides)).thenRefused(code, 'validation');
  });

  const refusals: [string, Partial<SharingPolicy>, string][] = [
    ['no policy id', { policyId: ' ' }, 'SHARING_POLICY.POLICY_ID_REQUIRED'],
    ['an unknown agency kind', { appliesTo: { agencyKind: 'militia' } } as never, 'SHARING_POLICY.INVALID_APPLIES_TO'],
    ['both an agency and a kind', { appliesTo: { agencyId: 'a', agencyKind: 'prosecutor' } } as never, 'SHARING_POLICY.INVALID_APPLIES_TO'],
    ['a record type that is not shared', { recordType: 'agency' } as never, 'SHARING_POLICY.RECORD_TYPE_NOT_SHARABLE'],
    ['an unknown purpose', { purpose: 'marketing' } as never, 'SHARING_POLICY.UNKNOWN_PURPOSE'],
    ['an unknown action', withRules({ path: 'referralId', action: 'copy' } as never), 'SHARING_POLICY.UNKNOWN_ACTION'],
    ['generalize without a target', withRules({ path: 'victim.dateOfBirth', action: 'generalize' }), 'SHARING_POLICY.INVALID_GENERALIZATION'],
    ['generalize to an unknown target', withRules({ path: 'foundAt', action: 'generalize', to: 'zip' } as never), 'SHARING_POLICY.INVALID_GENERALIZATION'],
    ['a target on include', withRules({ path: 'foundAt', action: 'include', to: 'parish' }), 'SHARING_POLICY.INVALID_GENERALIZATION'],
    ['a negative keepLast', withRules({ path: 'victim.phone', action: 'mask', keepLast: -1 }), 'SHARING_POLICY.INVALID_KEEP_LAST'],
    ['a fractional keepLast', withRules({ path: 'victim.phone', action: 'mask', keepLast: 2.5 }), 'SHARING_POLICY.INVALID_KEEP_LAST'],
    ['keepLast on include', withRules({ path: 'victim.phone', action: 'include', keepLast: 4 }), 'SHARING_POLICY.INVALID_KEEP_LAST'],
    ['a path into object internals', withRules({ path: '__proto__.polluted', action: 'include' }), 'SHARING_POLICY.INVALID_PATH'],
    ['an empty path segment', withRules({ path: 'victim..phone', action: 'include' }), 'SHARING_POLICY.INVALID_PATH'],
    ['a bracketed path', withRules({ path: 'dependents[0]', action: 'include' }), 'SHARING_POLICY.INVALID_PATH'],
    ['the same path twice', withRules({ path: 'needs', action: 'include' }, { path: 'needs', action: 'drop' }), 'SHARING_POLICY.DUPLICATE_PATH'],
    ['a rule inside a pseudonymized value', withRules({ path: 'victim', action: 'pseudonymize' }, { path: 'victim.phone', action: 'include' }), 'SHARING_POLICY.NESTED_UNDER_TRANSFORM'],
    ['a condition on an unknown kind', withRules({ path: 'needs', action: 'include', when: { recipientKinds: ['militia'] } } as never), 'SHARING_POLICY.INVALID_CONDITION'],
  ];
  it.each(refusals)('refuses a policy with %s', (_what, overrides, code) => {
    given().when(publishSharingPolicy(overrides)).thenRefused(code, 'validation');
  });

  it('lets an include or drop rule carry more precise rules inside it', () => {
    const nested = withRules({ path: 'victim', action: 'include' }, { path: 'victim.dateOfBirth', action: 'drop' });
    given().when(publishSharingPolicy(nested)).then(sharingPolicyPublished(1, nested));
  });

  it('is read back as its latest version', () => {
    const { state } = given(sharingPolicyPublished(1), sharingPolicyPublished(2));
    expect(sharingPolicyDecider.view(state)?.record).toEqual(sharingPolicyPublished(2).data);
    expect(sharingPolicyDecider.streamId(sharingPolicy().policyId)).toBe('sharing-policy-shelter-referrals');
  });
});
