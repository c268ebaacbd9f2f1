export * from './victim-referral.fixtures';
