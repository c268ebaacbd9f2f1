import { CONSENT_PURPOSES, ConsentPurpose } from '@crescent/domain';
import { FIELD_OUTCOMES, FieldDecision, FieldOutcome, PolicyDiff, Projection } from '@crescent/policy';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { FieldRuleDto, SharingPolicyDto } from './admin.dto';

const POLICY_ID_PATTERN = '^[a-z0-9][a-z0-9-]{1,62}$';

/** What publishing answers with: the policy's id and the version just published. */
export class PolicyPublishedDto {
  @ApiProperty({ pattern: POLICY_ID_PATTERN, description: 'the policy id' })
  recordId!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'the version just published (1 for a new policy)' })
  version!: number;
}

/** A published version: the policy as written, with its id, number and when it was published. */
export class SharingPolicyVersionDto extends SharingPolicyDto {
  @ApiProperty({ pattern: POLICY_ID_PATTERN })
  policyId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 })
  version!: number;
  @ApiProperty({ format: 'date-time' })
  publishedAt!: string;
}

export class PolicyListDto {
  @ApiProperty({ type: [SharingPolicyVersionDto], description: 'the current version of every policy' })
  policies!: SharingPolicyVersionDto[];
}

export class PolicyVersionListDto {
  @ApiProperty({ type: [SharingPolicyVersionDto], description: 'every version of the policy, oldest first' })
  versions!: SharingPolicyVersionDto[];
}

class RuleChangeDto {
  @ApiProperty()
  path!: string;
  @ApiProperty({ type: FieldRuleDto })
  from!: FieldRuleDto;
  @ApiProperty({ type: FieldRuleDto })
  to!: FieldRuleDto;
}

class PurposeChangeDto {
  @ApiProperty({ enum: CONSENT_PURPOSES })
  from!: ConsentPurpose;
  @ApiProperty({ enum: CONSENT_PURPOSES })
  to!: ConsentPurpose;
}

class AddresseeOnlyChangeDto {
  @ApiProperty()
  from!: boolean;
  @ApiProperty()
  to!: boolean;
}

/** Rules are matched by path: a path in one version only is added or removed, in both with other terms, changed. */
export class PolicyDiffDto implements PolicyDiff {
  @ApiProperty({ type: [FieldRuleDto] })
  added!: FieldRuleDto[];
  @ApiProperty({ type: [FieldRuleDto] })
  removed!: FieldRuleDto[];
  @ApiProperty({ type: [RuleChangeDto] })
  changed!: RuleChangeDto[];
  @ApiPropertyOptional({ type: PurposeChangeDto, description: 'only when the purpose changed' })
  purpose?: PurposeChangeDto;
  @ApiPropertyOptional({ type: AddresseeOnlyChangeDto, description: 'only when addresseeOnly changed' })
  addresseeOnly?: AddresseeOnlyChangeDto;
}

class FieldDecisionDto implements FieldDecision {
  @ApiProperty({ description: 'a dotted path of the event data (a list element by its index)', example: 'victim.phone' })
  path!: string;
  @ApiProperty({ enum: FIELD_OUTCOMES })
  outcome!: FieldOutcome;
  @ApiProperty({ description: 'the rule that decided it, a statute that withheld it (8 U.S.C. 1367, VAWA, a minor’s guardian), or the default deny' })
  decidedBy!: string;
}

/** What the recipient would receive of one event, and the account of every field. */
class ProjectionDto implements Pick<Projection, 'recipientAgencyId' | 'policyId' | 'policyVersion' | 'consentIds' | 'payload' | 'fields'> {
  @ApiProperty()
  recipientAgencyId!: string;
  @ApiProperty({ description: 'the policy applied: the recipient’s, or `draft`' })
  policyId!: string;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'the policy version applied; 0 for a draft' })
  policyVersion!: number;
  @ApiProperty({ type: [String], description: 'the consents that granted a field' })
  consentIds!: string[];
  @ApiProperty({ type: 'object', additionalProperties: true, description: 'the event data as the recipient would receive it' })
  payload!: Record<string, unknown>;
  @ApiProperty({ type: [FieldDecisionDto], description: 'every leaf path of the event data, disclosed or withheld, and what decided it' })
  fields!: FieldDecisionDto[];
}

class PreviewedEventDto {
  @ApiPropertyOptional({ description: 'the stored event; absent for a sample' })
  eventId?: string;
  @ApiProperty({ example: 'VictimReferralSubmitted' })
  type!: string;
  @ApiProperty({ type: ProjectionDto, nullable: true, description: 'null: the recipient receives nothing of this event' })
  projection!: ProjectionDto | null;
}

export class PreviewResultDto {
  @ApiProperty()
  recipientAgencyId!: string;
  @ApiProperty({ type: [PreviewedEventDto], description: 'a stored record: each of its events, in order; a sample: the one event' })
  events!: PreviewedEventDto[];
}
