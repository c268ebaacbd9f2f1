module.exports = require('./jest.base')('int-spec', { testTimeout: 60_000 });
