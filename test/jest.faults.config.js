// test/faults one suite at a time, before the other end-to-end suites. The faults test's load (5,000
// referrals, apps killed, a broker of its own stopped and started) starves a suite run beside it on a
// 2-core machine. The relay-crash test stops relays (SIGSTOP) that may be inside a transaction: while
// one is stopped so, PostgreSQL's feed holds back what every other schema on the server commits (its
// horizon is the server's oldest open transaction), and a suite beside it would wait on that.
module.exports = require('./jest.base')('e2e-spec', {
  roots: ['<rootDir>/test/faults'],
  testTimeout: 120_000,
  maxWorkers: 1,
  setupFilesAfterEnv: ['<rootDir>/test/support/message-contracts.setup.ts'],
});
