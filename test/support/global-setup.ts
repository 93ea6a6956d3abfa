import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client as PgClient } from 'pg';
import { openOrm, migrate } from '../../db/orm';
import { importTerc } from '../../db/reference';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from '../../worker/create-worker';
import { FAILURE_CONVERTER_PATH } from '../../lib/temporal';
import { adminUrl, TEMPLATE_DB } from './db';

// Once per run: a template database (migrated, TERC imported) that each test file clones, and one
// workflow bundle shared by every worker the tests start.
export default async function globalSetup(): Promise<void> {
  const base = process.env.TEST_DATABASE_URL;
  if (!base) throw new Error('TEST_DATABASE_URL is not set: run the suite with scripts/test.sh (npm test)');
  const admin = new PgClient({ connectionString: adminUrl(base) });
  await admin.connect();
  await admin.query(`drop database if exists ${TEMPLATE_DB} with (force)`);
  await admin.query(`create database ${TEMPLATE_DB}`);
  await admin.end();
  const url = new URL(base);
  url.pathname = `/${TEMPLATE_DB}`;
  const orm = await openOrm(url.toString(), 2);
  await migrate(orm);
  await importTerc(orm);
  await orm.close();

  const dir = process.env.OBIEG_TEST_RUN_DIR ?? join(__dirname, '..', '..', '.data', 'test');
  mkdirSync(dir, { recursive: true });
  const { code } = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES, failureConverterPath: FAILURE_CONVERTER_PATH, logger: { info() {}, warn() {}, error: console.error, debug() {}, trace() {}, log() {} } as never });
  const bundlePath = join(dir, 'workflow-bundle.js');
  writeFileSync(bundlePath, code);
  process.env.OBIEG_WORKFLOW_BUNDLE = bundlePath;
}
