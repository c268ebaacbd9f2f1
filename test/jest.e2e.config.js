module.exports = require('./jest.base')('e2e-spec', {
  testTimeout: 120_000,
  maxWorkers: 1,
  setupFilesAfterEnv: ['<rootDir>/test/support/message-contracts.setup.ts'],
});
