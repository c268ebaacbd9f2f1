import { Decider, EventSchemaVersions } from '../decider';
import { DomainError } from '../domain-error';
import { assertNever, eventOf, recordDecider } from '../record-state';
import { PublishSharingPolicy, SharingPolicy, SharingPolicyCommand, SharingPolicyEvent, SharingPolicyState } from './sharing-policy';
import { validateSharingPolicy } from './sharing-policy.validation';

function decide(command: SharingPolicyCommand, state: SharingPolicyState): SharingPolicyEvent[] {
  switch (command.type) {
    case 'PublishSharingPolicy':
      return [publish(command, state)];
    default:
      // One command type: the union does not narrow to never, so the check names the type.
      return assertNever(command.type as never);
  }
}

function publish({ data, metadata }: PublishSharingPolicy, state: SharingPolicyState): SharingPolicyEvent {
  validateSharingPolicy(data);
  const previous = state.status === 'none' ? undefined : state.record;
  // Version 1 fixes who a policy is for and what it covers; anything else is another policy.
  if (previous && !sameAppliesTo(previous.appliesTo, data.appliesTo)) {
    throw new DomainError('validation', 'SHARING_POLICY.APPLIES_TO_CHANGED', 'a policy applies to whom its first version named');
  }
  if (previous && previous.recordType !== data.recordType) {
    throw new DomainError('validation', 'SHARING_POLICY.RECORD_TYPE_CHANGED', 'a policy covers the record type its first version named');
  }
  const { policyId, appliesTo, recordType, purpose, addresseeOnly, rules } = data;
  const version = (previous?.version ?? 0) + 1;
  return eventOf(
    'SharingPolicyPublished',
    { policyId, appliesTo, recordType, purpose, addresseeOnly, rules, version, publishedAt: metadata.now },
    metadata,
  );
}

function sameAppliesTo(a: SharingPolicy['appliesTo'], b: SharingPolicy['appliesTo']): boolean {
  if ('agencyId' in a) return 'agencyId' in b && a.agencyId === b.agencyId;
  return 'agencyKind' in b && a.agencyKind === b.agencyKind;
}

function evolve(_state: SharingPolicyState, event: SharingPolicyEvent): SharingPolicyState {
  switch (event.type) {
    case 'SharingPolicyPublished':
      // The publishing admin is not the policy's owner in any sense that matters; the exchange is.
      return { status: 'published', originatorAgencyId: event.metadata.agencyId, record: event.data };
    default:
      return assertNever(event.type as never);
  }
}

const EVENT_SCHEMA_VERSIONS: EventSchemaVersions<SharingPolicyEvent> = { SharingPolicyPublished: [1] };

export const sharingPolicyDecider: Decider<SharingPolicyCommand, SharingPolicyEvent, SharingPolicyState> = recordDecider({
  recordType: 'sharing-policy',
  commandTypes: ['PublishSharingPolicy'],
  eventSchemaVersions: EVENT_SCHEMA_VERSIONS,
  decide,
  evolve,
});
