import type { Client } from '@temporalio/client';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../lib/config';
import type { Logger } from '../lib/logger';
import type { Tracing } from '../lib/tracing';
import type { ApiMetrics } from './metrics';

export interface ApiDeps {
  orm: MikroORM;
  temporal: Client;
  config: Config;
  log: Logger;
  /** The process's metrics (its Temporal client carries their interceptor); made by createApp if absent. */
  metrics?: ApiMetrics;
  /** OpenTelemetry tracing when configured (its Temporal client then carries tracing.clientInterceptor). */
  tracing?: Tracing | null;
}
