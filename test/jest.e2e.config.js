// Two suites at once: each has its own database schema and topic namespace, and most of a suite's
// time is spent waiting on apps and the broker. test/faults runs alone (jest.faults.config.js).
module.exports = require('./jest.base')('e2e-spec', {
  testTimeout: 120_000,
  maxWorkers: 2,
  testPathIgnorePatterns: ['/node_modules/', '/dist/', '<rootDir>/test/faults/'],
  setupFilesAfterEnv: ['<rootDir>/test/support/message-contracts.setup.ts'],
});
