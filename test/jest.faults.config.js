// test/faults alone, before the other end-to-end suites: its load (5,000 referrals, apps killed, a
// broker of its own stopped and started) starves a suite run beside it on a 2-core machine.
module.exports = require('./jest.base')('e2e-spec', {
  roots: ['<rootDir>/test/faults'],
  testTimeout: 120_000,
  maxWorkers: 1,
  setupFilesAfterEnv: ['<rootDir>/test/support/message-contracts.setup.ts'],
});
