// Shared by the three tiers; each tier picks its files by suffix.
const path = require('node:path');
const { pathsToModuleNameMapper } = require('ts-jest');
const { compilerOptions } = require('../tsconfig.json');

module.exports = (suffix, extra = {}) => ({
  rootDir: path.join(__dirname, '..'),
  testEnvironment: 'node',
  testRegex: `\\.${suffix}\\.ts$`,
  transform: { '^.+\\.ts$': 'ts-jest' },
  moduleNameMapper: pathsToModuleNameMapper(compilerOptions.paths, { prefix: '<rootDir>/' }),
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  ...extra,
});
