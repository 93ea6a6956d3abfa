/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The production topology is its own part of scripts/test.sh (jest.topology.config.js).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/topology/'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  setupFiles: ['<rootDir>/test/support/shifted-clock.ts', '<rootDir>/test/support/quiet-runtime.ts'],
  testTimeout: 120000,
  maxWorkers: 2,
};
