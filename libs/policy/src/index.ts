export type { FieldRule, RecordType, SharingPolicy } from './sharing-policy';
export { statuteAllows } from './statute';
export { compileReferralProjector, type Projection, type ReferralProjector } from './project-for-recipient';
