// The fault tests (issue 14 item 6): real processes refused, restarted and killed. A named part of
// scripts/test.sh (OBIEG_FAULT_TESTS=0 skips it); a plain `jest` run does not pick them up.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testTimeout: 300000,
  // The faults so far touch only their own test system's processes (SMTP peer, API process), so two run
  // side by side; a fault that stops a shared process (PostgreSQL, the Temporal dev server) needs its own.
  maxWorkers: 2,
};
