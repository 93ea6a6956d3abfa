import { DefaultLogger, Runtime } from '@temporalio/worker';
import { testLogger } from './test-log';
import { temporalLogger } from '../../lib/logger';

// Workers in tests write the SDK's log lines (worker, workflow and activity loggers) into this test
// process's log file in the run directory, at info, so the log scan (test/logs/log-scan.ts) reads them;
// without a run directory, warnings and errors only, on the console.
try {
  const log = testLogger('worker-test');
  Runtime.install({ logger: log ? temporalLogger(log) : new DefaultLogger('WARN') });
} catch {
  // already installed in this process
}
