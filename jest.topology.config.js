// The production topology part of the test command (scripts/test.sh, OBIEG_TOPOLOGY): test/topology only,
// against the Temporal server built from its Go module and obieg built into dist/.
const base = require('./jest.config');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  roots: ['<rootDir>/test/topology'],
  testPathIgnorePatterns: ['/node_modules/'],
  globalSetup: undefined,
  globalTeardown: undefined,
  testTimeout: 600000,
  maxWorkers: 1,
};
