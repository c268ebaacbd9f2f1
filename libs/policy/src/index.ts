export { FieldRule, RecordType, SharingPolicy } from './sharing-policy';
export { statuteAllows } from './statute';
export { compileReferralProjector, Projection, ReferralProjector } from './project-for-recipient';
