module.exports = require('./jest.base')('e2e-spec', { testTimeout: 120_000, maxWorkers: 1 });
