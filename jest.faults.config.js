// The fault tests (issue 14 item 6): real processes refused, restarted and killed. A named part of
// scripts/test.sh (OBIEG_FAULT_TESTS=0 skips it); a plain `jest` run does not pick them up.
const base = require('./jest.config.js');

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testPathIgnorePatterns: ['/node_modules/'],
  testMatch: ['<rootDir>/test/faults/**/*.test.ts'],
  testTimeout: 300000,
  // Each fault touches only its own test's processes (SMTP peer, API and worker processes; the PostgreSQL
  // cluster and the Temporal dev server that b and c stop are their own, not the run's), so two run side by side.
  maxWorkers: 2,
};
