import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Source (jest) and compiled (dist/) code both find templates and reference data from the project root.
function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const up = dirname(dir);
    if (up === dir) throw new Error(`no package.json above ${start}`);
    dir = up;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(__dirname);
export const TEMPLATES_DIR = join(PROJECT_ROOT, 'templates');
export const REFERENCE_DIR = join(PROJECT_ROOT, 'db', 'reference');
