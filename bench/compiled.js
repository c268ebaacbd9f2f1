// Resolves the @crescent/* aliases against the tree `tsc -p bench/tsconfig.json` compiled into dist/bench
// (npm run bench compiles it first): benches require it, and the apps a bench spawns run with `-r` it.
const path = require('node:path');
const tsConfigPaths = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');

const COMPILED = path.join(__dirname, '..', 'dist', 'bench');
tsConfigPaths.register({ baseUrl: COMPILED, paths: compilerOptions.paths });

module.exports = { COMPILED };
