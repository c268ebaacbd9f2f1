import { agencyDecider } from './agency/agency.decider';
import { subscriptionDecider } from './subscription/subscription.decider';
import { arrestRecordDecider } from './arrest-record/arrest-record.decider';
import { caseDecider } from './case/case.decider';
import { consentDecider } from './consent/consent.decider';
import { Decider, DomainCommand, DomainEvent, RecordType } from './decider';
import { sharingPolicyDecider } from './sharing-policy/sharing-policy.decider';
import { victimReferralDecider } from './victim-referral/victim-referral.decider';

/** Any record's decider, for code that routes by record type without knowing which. */
export type AnyDecider = Decider<DomainCommand, DomainEvent, unknown>;

export const DECIDERS = {
  case: caseDecider,
  'victim-referral': victimReferralDecider,
  'arrest-record': arrestRecordDecider,
  consent: consentDecider,
  agency: agencyDecider,
  subscription: subscriptionDecider,
  'sharing-policy': sharingPolicyDecider,
} as const satisfies { readonly [Type in RecordType]: AnyDecider };

export type RecordCommand = { [Type in RecordType]: Parameters<(typeof DECIDERS)[Type]['decide']>[0] }[RecordType];
export type RecordEvent = { [Type in RecordType]: ReturnType<(typeof DECIDERS)[Type]['decide']>[number] }[RecordType];

/** The decider of a record type known only at run time (a union of deciders would accept no command). */
export function deciderFor(recordType: RecordType): AnyDecider {
  return DECIDERS[recordType];
}

/** The record type a command is for, or undefined when no decider takes it. */
export function recordTypeOfCommand(commandType: string): RecordType | undefined {
  return (Object.keys(DECIDERS) as RecordType[]).find((type) =>
    (DECIDERS[type].commandTypes as readonly string[]).includes(commandType),
  );
}
