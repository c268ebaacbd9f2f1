// npm run bench [-- name...]: every bench/*.bench.js (or those named), each in its own process so
// one's heap and timers do not weigh on the next. Exits non-zero if one fails to run; a missed goal
// is reported in its result, not as a failure.
const path = require('node:path');
const fs = require('node:fs');
const { spawnSync } = require('node:child_process');

const wanted = process.argv.slice(2);
const benches = fs.readdirSync(__dirname).filter((file) => file.endsWith('.bench.js'))
  .filter((file) => wanted.length === 0 || wanted.includes(file.replace(/\.bench\.js$/, '')));
const started = Date.now();
let failed = 0;
for (const file of benches) {
  console.log(`\n=== ${file} ===`);
  const { status } = spawnSync(process.execPath, ['--expose-gc', path.join(__dirname, file)], { stdio: 'inherit' });
  if (status !== 0) failed++;
}
// What this run wrote: a bench may write several results (restart: one per app and measure), and one that failed none.
const resultsDir = path.join(__dirname, 'results');
const results = fs.readdirSync(resultsDir).map((file) => path.join(resultsDir, file))
  .filter((file) => file.endsWith('.json') && fs.statSync(file).mtimeMs >= started)
  .map((file) => JSON.parse(fs.readFileSync(file, 'utf8')));
console.log('\n=== summary ===');
// The ceilings carry no ratio: they are what the machine allows, printed in their own file.
for (const { name, ratio, goal, goalMet } of results.filter((result) => typeof result.ratio === 'number')) {
  console.log(`${name.padEnd(20)} ratio ${String(ratio).padEnd(7)} goal ${goal}  ${goalMet ? 'met' : 'MISSED'}`);
}
process.exitCode = failed ? 1 : 0;
