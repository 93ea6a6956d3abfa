import type { Server } from 'node:http';
import { loadConfigOrExit } from '../lib/config';
import { createLogger, logOptions } from '../lib/logger';
import { openOrm } from '../db/orm';
import { connectClient } from '../lib/temporal';
import { startTracing } from '../lib/tracing';
import { createApp } from './app';
import { createApiMetrics } from './metrics';

// On SIGTERM/SIGINT the server stops accepting, finishes requests in flight, then closes connections.
async function main(): Promise<void> {
  const config = loadConfigOrExit();
  const log = createLogger('api', logOptions(config));
  const orm = await openOrm(config.DATABASE_URL, config.DATABASE_POOL_MAX);
  const metrics = createApiMetrics(orm);
  // OTEL_EXPORTER_OTLP_ENDPOINT unset: null, and no span anywhere.
  const tracing = startTracing(config, 'obieg-api');
  const temporal = await connectClient(config, { workflow: [metrics.clientInterceptor, ...(tracing ? [tracing.clientInterceptor] : [])] });
  const { app } = createApp({ orm, temporal, config, log, metrics, tracing });
  const server: Server = app.listen(config.API_PORT, config.API_HOST, () => {
    log.info('api listening', { url: `http://${config.API_HOST}:${config.API_PORT}` });
  });
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('api stopping', { signal });
    server.close(() => {
      (async () => {
        await temporal.connection.close();
        await orm.close();
        await tracing?.shutdown();
        log.info('api stopped');
        process.exit(0);
      })().catch((err: unknown) => {
        log.error('api stop failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      });
    });
    server.closeIdleConnections();
    setTimeout(() => process.exit(1), 15_000).unref();
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err) => {
  process.stderr.write(`api failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
