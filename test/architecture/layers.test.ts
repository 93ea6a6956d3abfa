import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PROJECT_ROOT } from '../../lib/paths';

// The layers (.dependency-cruiser.cjs): workflows import nothing with side effects; db and lib never
// import api or activities; api never imports activities or workflow implementations; no import circles.

interface Violation {
  from: string;
  to: string;
  rule: { name: string };
  cycle?: { name: string }[];
}

function cruise(cwd: string, paths: string[]): Violation[] {
  const out = execFileSync(join(PROJECT_ROOT, 'node_modules', '.bin', 'depcruise'), ['--config', join(PROJECT_ROOT, '.dependency-cruiser.cjs'), '--output-type', 'json', ...paths], {
    cwd,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  return (JSON.parse(out) as { summary: { violations: Violation[] } }).summary.violations;
}

const describeViolation = (v: Violation) => `${v.rule.name}: ${v.from} → ${v.to}${v.cycle ? ` (${v.cycle.map((c) => c.name).join(' → ')})` : ''}`;

test('obieg keeps its layers', () => {
  const violations = cruise(PROJECT_ROOT, ['lib', 'workflows', 'activities', 'worker', 'api', 'db', 'domain', 'scripts']);
  expect(violations.map(describeViolation)).toEqual([]);
}, 120_000);

test('each rule catches the break it names (a probe tree with one of each)', () => {
  const probe = join(PROJECT_ROOT, '.data', 'layers-probe');
  rmSync(probe, { recursive: true, force: true });
  const files: Record<string, string> = {
    'tsconfig.json': '{ "compilerOptions": { "module": "commonjs", "moduleResolution": "node", "strict": true } }',
    'lib/config.ts': "import { listen } from '../api/app';\nexport const config = { listen };\n",
    'api/app.ts': "import { sendMail } from '../activities/mail';\nimport { registrationWorkflow } from '../workflows/registration';\nimport type { Only } from '../workflows/types';\nexport const listen = () => [sendMail, registrationWorkflow] as Only[];\n",
    'activities/mail.ts': "import { config } from '../lib/config';\nexport const sendMail = () => config;\n",
    'workflows/registration.ts': "import { readFileSync } from 'node:fs';\nimport { sendMail } from '../activities/mail';\nimport type { Only } from './types';\nexport const registrationWorkflow = (): Only => [readFileSync, sendMail];\n",
    'workflows/types.ts': 'export type Only = unknown;\n',
    'db/a.ts': "import { b } from './b';\nexport const a = () => b;\n",
    'db/b.ts': "import { a } from './a';\nexport const b = () => a;\n",
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(probe, path)), { recursive: true });
    writeFileSync(join(probe, path), text);
  }
  try {
    const found = new Set(cruise(probe, ['lib', 'api', 'activities', 'workflows', 'db']).map((v) => `${v.rule.name}: ${v.from} → ${v.to}`));
    expect([...found].sort()).toEqual(
      expect.arrayContaining([
        'api-imports-no-activities: api/app.ts → activities/mail.ts',
        'api-imports-no-workflow-implementations: api/app.ts → workflows/registration.ts',
        'db-and-lib-below-api-and-activities: lib/config.ts → api/app.ts',
        'workflows-import-nothing-with-side-effects: workflows/registration.ts → activities/mail.ts',
        'workflows-import-nothing-with-side-effects: workflows/registration.ts → fs',
        'no-circular: db/a.ts → db/b.ts',
      ]),
    );
    // A type-only import is no dependency at run time: allowed across layers.
    expect([...found].some((v) => v.includes('workflows/types.ts'))).toBe(false);
  } finally {
    rmSync(probe, { recursive: true, force: true });
  }
}, 120_000);

