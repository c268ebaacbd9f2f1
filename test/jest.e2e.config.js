// Two suites at once: each has its own database schema and topic namespace (the faults test, which
// stops its broker, its own broker), and most of a suite's time is spent waiting on apps and the broker.
module.exports = require('./jest.base')('e2e-spec', {
  testTimeout: 120_000,
  maxWorkers: 2,
  setupFilesAfterEnv: ['<rootDir>/test/support/message-contracts.setup.ts'],
});
