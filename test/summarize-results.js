// Prints one line per tier and a closing `N passed, N failed, N skipped` line over every tier's
// jest report in test-results/; each failed check named on the command line counts as one failure.
// Exits non-zero when anything failed or no test ran.
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

const TIERS = ['unit', 'int', 'faults', 'e2e'];
const failedChecks = process.argv.slice(2).filter((name) => !TIERS.includes(name));
const totals = { passed: 0, failed: failedChecks.length, skipped: 0 };
for (const name of failedChecks) console.log(`${name}: failed`);
for (const tier of TIERS) {
  let result;
  try {
    result = JSON.parse(readFileSync(join(__dirname, '..', 'test-results', `${tier}.json`), 'utf8'));
  } catch {
    console.log(`${tier}: no report (the tier did not run)`);
    totals.failed += 1;
    continue;
  }
  const skipped = result.numPendingTests + result.numTodoTests;
  const failed = result.numFailedTests + result.numRuntimeErrorTestSuites;
  console.log(`${tier}: ${result.numPassedTests} passed, ${failed} failed, ${skipped} skipped (${result.numTotalTestSuites} suites)`);
  totals.passed += result.numPassedTests;
  totals.failed += failed;
  totals.skipped += skipped;
}
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exitCode = totals.failed > 0 || totals.passed === 0 ? 1 : 0;
