import { join } from 'node:path';
import { createLogger, type Logger } from '../../lib/logger';

/**
 * A logger writing JSON lines at info into this test process's file in the run directory
 * ($OBIEG_TEST_RUN_DIR/logs/jest-<pid>.log), which the log scan reads after the run; null outside scripts/test.sh.
 */
export function testLogger(component: string): Logger | null {
  const dir = process.env.OBIEG_TEST_RUN_DIR;
  if (!dir) return null;
  return createLogger(component, { level: 'info', file: join(dir, 'logs', `jest-${process.pid}.log`) });
}
