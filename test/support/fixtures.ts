import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Response as SuperagentResponse } from 'superagent';
import { ensureAccount, issueToken } from '../../db/demo';
import type { Role } from '../../db/entities';
import type { RegistrationApplication } from '../../workflows/messages';

export function application(overrides: Partial<RegistrationApplication['applicant']> = {}): RegistrationApplication {
  return {
    registerUnit: true,
    unit: {
      terytCode: '2661011',
      type: 'MOPR',
      name: 'Miejski Ośrodek Pomocy Rodzinie w Kielcach',
      street: 'ul. Studzienna 2',
      postalCode: '25-544',
      city: 'Kielce',
      email: 'sekretariat@mopr.kielce.example',
      phone: '41 367 60 00',
    },
    applicant: {
      firstName: 'Łucja',
      lastName: 'Żółkiewska',
      position: 'Starszy specjalista pracy socjalnej',
      email: 'lucja.zolkiewska@mopr.kielce.example',
      phone: '41 367 60 10',
      ...overrides,
    },
    areas: ['PS', 'SR'],
  };
}

/** An account with one role and a fresh API token; returns the token. */
export async function tokenFor(orm: MikroORM, login: string, role: Role, voivodeship: string | null): Promise<string> {
  await ensureAccount(orm, { login, firstName: 'Test', lastName: login, role, voivodeship });
  return issueToken(orm, login, 'test');
}

/** An account of one unit (and reporting area, for staff) with a fresh API token; returns the token. */
export async function unitPersonToken(orm: MikroORM, login: string, role: 'unit_head' | 'local_admin' | 'staff', voivodeship: string, unit: string, area: string | null): Promise<string> {
  const token = await tokenFor(orm, login, role, voivodeship);
  await orm.em.fork().getConnection().execute('update role_assignments set unit_code = ?, area = ? where account_id = (select id from accounts where login = ?)', [unit, area, login]);
  return token;
}

/** supertest's parser for a file download: the body as one Buffer (`.buffer(true).parse(binaryBody)`). */
export function binaryBody(res: SuperagentResponse, cb: (err: Error | null, body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
}

export function pdfText(pdf: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'obieg-pdf-'));
  const file = join(dir, 'doc.pdf');
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

/** A minimal, valid one-page PDF, as a scanner would send. */
export const SCAN_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj 2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj 3 0 obj<</Type/Page/MediaBox[0 0 595 842]/Parent 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
  'latin1',
);
export const SCAN_PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(64, 1)]);
