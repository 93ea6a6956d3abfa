/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The production topology (jest.topology.config.js) and the fault tests (real processes stopped and
  // killed, jest.faults.config.js) are their own parts of scripts/test.sh.
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/topology/', '<rootDir>/test/faults/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/shifted-clock.ts', '<rootDir>/test/support/quiet-runtime.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
