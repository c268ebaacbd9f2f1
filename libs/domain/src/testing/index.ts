export * from './agencies.fixtures';
export * from './given-when-then';
export * from './case.fixtures';
export * from './victim-referral.fixtures';
export * from './arrest-record.fixtures';
export * from './consent.fixtures';
export * from './decision-samples';
