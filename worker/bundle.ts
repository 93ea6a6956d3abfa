import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { FAILURE_CONVERTER_PATH } from '../lib/temporal';
import { WORKFLOW_INTERCEPTOR_MODULES, WORKFLOWS_PATH } from './create-worker';

// Part of `npm run build`: the workflows bundled once into dist/workflow-bundle.js, which worker/main.ts
// loads, so that a worker (re)starts in about a second instead of bundling with webpack each time
// (issue 18: a restarted worker moves waiting cases again within 5 s).
async function main(): Promise<void> {
  const out = process.argv[2] ?? join(__dirname, '..', 'workflow-bundle.js');
  const quiet = () => undefined;
  const { code } = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    failureConverterPath: FAILURE_CONVERTER_PATH,
    logger: { info: quiet, warn: console.warn, error: console.error, debug: quiet, trace: quiet, log: quiet } as never,
  });
  writeFileSync(out, code);
}

main().catch((err) => {
  process.stderr.write(`workflow bundle failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
