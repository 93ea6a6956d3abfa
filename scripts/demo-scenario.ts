import { appendFileSync, existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { DEMO_REPORT_UNITS, DEMO_UNIT, refuseInProduction } from '../db/demo';
import { registrationCaseId } from '../api/registration/routes';
import { reportWorkflowId } from '../workflows/messages';
import { addCalendarDays, warsawDay } from '../workflows/rules/reporting-calendar';
import { addLocalDays } from '../workflows/rules/csizs-campaign';

// The living demo that `npm start` fills (development only; OBIEG_DEMO=0 turns it off): registrations at
// every stage, a permission request, a reporting campaign with reports in each state and a CSIZS campaign
// part-way, with late units and call lists. Everything goes through the running system's HTTP API with
// the demo accounts' tokens, as people and programs would; each step looks first and acts only when its
// stage is not reached yet, so a second start adds nothing. Refused when NODE_ENV is production.

export interface DemoTarget {
  /** The API, e.g. http://127.0.0.1:3000 */
  base: string;
  /** API tokens by login (the demo accounts of db/cli.js demo). */
  tokens: Record<string, string>;
  log?: (line: string) => void;
  /** How long to wait for one stage to be reached (ms). */
  patience?: number;
  /**
   * The mail sent to an address (the development SMTP sink's folder, or a test's SMTP peer): where the
   * accepted applicant's login and temporary password are read, as the applicant would read them.
   */
  mailbox?: (to: string) => Promise<{ subject: string; text: string }[]>;
  /** The environment judged for NODE_ENV (default: process.env). */
  env?: NodeJS.ProcessEnv;
}

/** What a newcomer needs beyond the demo accounts: the applicants of accepted registrations. */
export interface DemoSummary {
  applicants: { unit: string; email: string; login: string; temporaryPassword: string }[];
}

/** Subject of the mail that carries an accepted applicant's login and temporary password. */
const ACCOUNT_MAIL_SUBJECT = 'Konto w Centralnej Aplikacji Statystycznej zostało utworzone';

export const DEMO_FORM = 'DEMO-KWARTALNE';
export const DEMO_CSIZS = 'demo-csizs';
/** Registrations by the stage each is left at. */
export const DEMO_REGISTRATIONS = [
  { stage: 'awaiting_scan', unit: '2601022', city: 'Gnojno', name: 'Gminny Ośrodek Pomocy Społecznej w Gnojnie', email: 'gops@gnojno.example' },
  { stage: 'awaiting_decision', unit: '2601052', city: 'Solec-Zdrój', name: 'Gminny Ośrodek Pomocy Społecznej w Solcu-Zdroju', email: 'gops@solec-zdroj.example' },
  { stage: 'accepted', unit: '2601072', city: 'Tuczępy', name: 'Gminny Ośrodek Pomocy Społecznej w Tuczępach', email: 'gops@tuczepy.example' },
  { stage: 'correction_requested', unit: '2602012', city: 'Imielno', name: 'Gminny Ośrodek Pomocy Społecznej w Imielnie', email: 'gops@imielno.example' },
] as const;
/** Reports of the demo campaign by the state each is left in (units: db/demo.ts). */
export const DEMO_REPORT_STATES: Record<string, string> = {
  '2601022': 'not_started',
  [DEMO_UNIT]: 'draft',
  '2601013': 'awaiting_data',
  '2601043': 'submitted',
  '2602042': 'returned',
  '2602052': 'accepted',
};
/**
 * Gminas of the CSIZS campaign; the first three have reported their first step, the rest are late at it.
 * Kielce is further on: past the installation, at the notification (Załącznik 2) that follows it in the
 * seed's order (plan version 2), its form filled and waiting for the signed scan.
 */
export const DEMO_CSIZS_UNITS = [...DEMO_REPORT_UNITS, '2601052', '2601072', '2602012', '2602033'];
export const CSIZS_DONE_FIRST_STEP = [DEMO_UNIT, '2601013', '2601043'];
export const CSIZS_KIELCE_STEPS = ['cas_report', 'local_admin', 'infrastructure', 'installation'] as const;

/** A one-page PDF standing in for the signed scan. */
const SCAN_PDF = Buffer.from(
  '%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n',
);

class DemoError extends Error {}

export function currentQuarter(now = Date.now()): string {
  const day = warsawDay(now);
  return `${day.slice(0, 4)}-Q${Math.ceil(Number(day.slice(5, 7)) / 3)}`;
}

/**
 * The campaign calendar around today: the first step was due 5 days ago, checkpoint 1's window is open.
 * seed 004's order: the notification (Załącznik 2) right after the installation, the dictionaries after the
 * registration; Otago installs (and so notifies) two days later.
 */
export function demoCsizsCalendar(today: string) {
  const d = (n: number) => addLocalDays(today, n);
  return {
    name: 'Demo: podłączenie systemów dziedzinowych do CSIZS',
    area: 'SW',
    vendors: ['Sygnity', 'Otago', 'Comarch'],
    steps: {
      cas_report: d(-5),
      local_admin: d(5),
      infrastructure: d(8),
      installation: d(12),
      notification: d(13),
      package_sent: d(15),
      package_verified: d(18),
      password_changed: d(19),
      domain_registration: d(25),
      dictionaries: d(26),
      staff_accounts: d(30),
    },
    vendorExceptions: [
      { vendor: 'Otago', step: 'installation', by: d(14) },
      { vendor: 'Otago', step: 'notification', by: d(15) },
    ],
    checkpoints: [
      { id: 'checkpoint_1', opensAt: `${d(-1)}T08:00`, closesAt: `${d(3)}T16:00`, confirms: 'cas_report' },
      { id: 'checkpoint_2', opensAt: `${d(26)}T08:00`, closesAt: `${d(27)}T16:00`, confirms: 'domain_registration' },
    ],
  };
}

export async function fillDemo(target: DemoTarget): Promise<DemoSummary> {
  refuseInProduction('the demo scenario', target.env ?? process.env);
  const log = target.log ?? (() => undefined);
  const patience = target.patience ?? 300_000;
  const token = (login: string) => {
    const t = target.tokens[login];
    if (!t) throw new DemoError(`no demo token for ${login}`);
    return t;
  };

  async function call<T = unknown>(method: string, path: string, as: string | null, body?: unknown, ok: number[] = [200, 201, 202, 204]): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = {};
    if (as) headers.authorization = `Bearer ${token(as)}`;
    let payload: string | FormData | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${target.base}${path}`, { method, headers, body: payload });
    const text = await res.text();
    const parsed = text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text;
    if (!ok.includes(res.status)) throw new DemoError(`${method} ${path} as ${as ?? 'anonymous'}: ${res.status} ${text.slice(0, 300)}`);
    return { status: res.status, body: parsed as T };
  }

  async function until<T>(what: string | (() => string), fn: () => Promise<T | null | undefined | false>): Promise<T> {
    const end = Date.now() + patience;
    for (;;) {
      const v = await fn();
      if (v) return v;
      if (Date.now() > end) throw new DemoError(`the demo waited in vain for: ${typeof what === 'string' ? what : what()}`);
      await new Promise((r) => setTimeout(r, 500));
    }
  }

  const ministry = 'ministerstwo';
  const admin = 'adm-woj-26';
  /** A decision on a task the read model shows; the workflow may take a moment to offer it (409 until then). */
  const decide = (task: string, decision: { decision: string; reason?: string }) =>
    until(`decision on ${task}`, async () => (await call('POST', `/api/tasks/${encodeURIComponent(task)}/complete`, admin, decision, [200, 409])).status === 200);

  const caseOf = async (id: string) => (await call('GET', `/api/cases/${encodeURIComponent(id)}`, admin, undefined, [200, 404])).body as { status: string; tasks?: { id: string; status: string }[] } & { error?: unknown };
  const openTask = (c: { tasks?: { id: string; status: string }[] }) => c.tasks?.find((t) => t.status === 'open')?.id;

  // 1. Registrations, each taken to its stage by the applicant (public form) and the voivodeship office.
  // One after another: each decision waits for its workflow's effects (account, mail), which a loaded
  // machine serves more surely one at a time.
  const fillRegistration = async (r: (typeof DEMO_REGISTRATIONS)[number]) => {
      const id = registrationCaseId(r.unit, r.email);
      let c = await caseOf(id);
      if (c.error) {
        await call('POST', '/api/registrations', null, {
          registerUnit: true,
          unit: { terytCode: r.unit, type: 'GOPS', name: r.name, street: 'ul. Kościelna 1', postalCode: '28-100', city: r.city, email: r.email, phone: '41 300 00 00' },
          applicant: { firstName: 'Joanna', lastName: 'Wnioskodawczyni', position: 'Kierownik', email: r.email, phone: '41 300 00 01' },
          areas: ['PS', 'SR'],
        });
      }
      c = await until(`registration ${r.unit} past submission`, async () => {
        const x = await caseOf(id);
        return !x.error && x.status !== 'submitted' ? x : null;
      });
      if (r.stage === 'awaiting_scan') return;
      if (c.status === 'awaiting_scan') {
        const form = new FormData();
        form.set('channel', 'epuap');
        form.set('file', new Blob([SCAN_PDF], { type: 'application/pdf' }), 'skan.pdf');
        await call('POST', `/api/cases/${encodeURIComponent(id)}/scans`, admin, form);
      }
      if (r.stage === 'awaiting_decision') return;
      c = await until(`registration ${r.unit} decision task`, async () => {
        const x = await caseOf(id);
        return x.status !== 'awaiting_decision' || openTask(x) ? x : null;
      });
      const task = c.status === 'awaiting_decision' && openTask(c);
      if (task) {
        await decide(task, r.stage === 'accepted' ? { decision: 'accept' } : { decision: 'reject', reason: 'Skan bez podpisu kierownika jednostki' });
      }
      let seen = '';
      await until(() => `registration ${r.unit} ${r.stage} (it is ${seen})`, async () => (seen = (await caseOf(id)).status) === r.stage);
  };
  for (const r of DEMO_REGISTRATIONS) await fillRegistration(r);
  log(`registrations: ${DEMO_REGISTRATIONS.map((r) => `${r.unit} ${r.stage}`).join(', ')}`);

  // The accepted applicant signs in with the login and temporary password of their mail (the first
  // sign-in asks for a new password); read from the mailbox as they would, never from the database.
  const applicants: DemoSummary['applicants'] = [];
  if (target.mailbox) {
    for (const r of DEMO_REGISTRATIONS.filter((x) => x.stage === 'accepted')) {
      // The latest, in the order the mails arrived.
      const mail = (await target.mailbox(r.email)).filter((m) => m.subject === ACCOUNT_MAIL_SUBJECT).pop();
      const login = mail && /Login:\s*(\S+)/.exec(mail.text)?.[1];
      const temporaryPassword = mail && /Hasło tymczasowe:\s*(\S+)/.exec(mail.text)?.[1];
      if (!login || !temporaryPassword) throw new DemoError(`no account mail for the accepted applicant ${r.email}`);
      applicants.push({ unit: r.unit, email: r.email, login, temporaryPassword });
    }
  }

  // 2. A permission request: the Kielce staff member asks for area SR (an open or held one is left as it is).
  await call('POST', '/api/permission-requests', `prac-${DEMO_UNIT}`, { unitCode: DEMO_UNIT, area: 'SR', justification: 'Przejmuję sprawozdania ze wsparcia rodziny' }, [200, 201, 409]);
  log('permission request: SR for the Kielce staff member');

  // 3. A reporting campaign of the current quarter with reports in each state.
  const period = currentQuarter();
  await call('PUT', `/api/report-forms/${DEMO_FORM}`, ministry, { name: 'Demo: sprawozdanie kwartalne z pomocy społecznej', area: 'PS', unitKind: 'gmina', period: 'quarterly', dueRule: { kind: 'days-after-period-end', days: 85 } });
  const campaigns = (await call('GET', '/api/campaigns', ministry)).body as { reports: { id: string }[] };
  if (!campaigns.reports.some((c) => c.id === `${DEMO_FORM}-${period}`)) {
    await call('POST', '/api/report-campaigns', ministry, { formCode: DEMO_FORM, period, units: DEMO_REPORT_UNITS });
  }
  const reportOf = async (unit: string) => (await call('GET', `/api/reports/${encodeURIComponent(reportWorkflowId(DEMO_FORM, period, unit))}`, admin, undefined, [200, 404])).body as { status?: string; id?: string };
  const headOf = (unit: string) => (unit === DEMO_UNIT ? `prac-${DEMO_UNIT}` : `kier-${unit}`);
  await Promise.all(
    Object.entries(DEMO_REPORT_STATES).map(async ([unit, state]) => {
      const id = reportWorkflowId(DEMO_FORM, period, unit);
      const url = `/api/reports/${encodeURIComponent(id)}`;
      const r = await until(`report ${unit} opened`, async () => {
        const x = await reportOf(unit);
        // The case appears once the report workflow has opened it.
        return x.status && (await caseOf(id)).error === undefined ? x : null;
      });
      if (state === 'not_started') return;
      if (r.status === 'not_started') {
        if (state === 'draft') await call('PUT', `${url}/draft`, headOf(unit), { content: { liczbaRodzin: 124, liczbaOsob: 311, uwagi: 'Wersja robocza' } });
        else if (state === 'awaiting_data') {
          await call('POST', `${url}/data-requests`, headOf(unit), {
            recipient: { name: 'Dział księgowości urzędu gminy', email: 'ksiegowosc@gmina.example' },
            subject: 'Wydatki na zasiłki okresowe w kwartale',
            dueDate: addCalendarDays(warsawDay(Date.now()), 14),
          });
        } else await call('POST', `${url}/submission`, headOf(unit), { content: { liczbaRodzin: 98, liczbaOsob: 240 } });
      }
      if (state !== 'returned' && state !== 'accepted') {
        await until(`report ${unit} ${state}`, async () => (await reportOf(unit)).status === state);
        return;
      }
      const submitted = await until(`report ${unit} awaiting verification`, async () => {
        const x = await caseOf(id);
        return x.status !== 'submitted' || openTask(x) ? x : null;
      });
      const task = submitted.status === 'submitted' && openTask(submitted);
      if (task) {
        await decide(task, state === 'accepted' ? { decision: 'accept' } : { decision: 'reject', reason: 'Liczba osób nie zgadza się z liczbą rodzin: proszę sprawdzić wiersz 2' });
      }
      await until(`report ${unit} ${state}`, async () => (await reportOf(unit)).status === state);
    }),
  );
  log(`reporting campaign ${DEMO_FORM}-${period}: ${Object.entries(DEMO_REPORT_STATES).map(([unit, state]) => `${unit} ${state}`).join(', ')}`);

  // 4. A CSIZS campaign part-way: the first step was due 5 days ago, three units reported it, the others are
  // late; checkpoint 1's phone window is open, two calls recorded.
  await call('POST', '/api/csizs-campaigns', ministry, { id: DEMO_CSIZS, calendar: demoCsizsCalendar(warsawDay(Date.now())), unitCodes: DEMO_CSIZS_UNITS });
  await call('POST', `/api/csizs-campaigns/${DEMO_CSIZS}/start`, ministry);
  type Monitoring = { perStep: Record<string, number>; lateUnits: { unitCode: string }[]; callLists: Record<string, { unitCode: string; status: string; calls: number }[]> };
  const monitoring = async () => (await call('GET', `/api/csizs-campaigns/${DEMO_CSIZS}/monitoring`, ministry)).body as Monitoring;
  await until('CSIZS units started with checkpoint 1 open', async () => {
    const m = await monitoring();
    return m.callLists.checkpoint_1?.length === DEMO_CSIZS_UNITS.length && m;
  });
  // A step already reported answers 409; the steps go in order, one after another.
  const reportStep = (unit: string, step: string) =>
    call('POST', `/api/csizs-campaigns/${DEMO_CSIZS}/units/${unit}/steps`, `kier-${unit}`, step === 'cas_report' ? { step, vendor: 'Sygnity' } : { step }, [200, 409]);
  for (const unit of CSIZS_DONE_FIRST_STEP) await reportStep(unit, 'cas_report');
  for (const step of CSIZS_KIELCE_STEPS) await reportStep(DEMO_UNIT, step);
  // Kielce's notification (Załącznik 2), filled by its head once: the form to sign is generated, the scan is awaited.
  const kielce = (await call('GET', `/api/csizs-campaigns/${DEMO_CSIZS}/units/${DEMO_UNIT}`, admin)).body as { currentStep: string | null; notificationStatus: string | null };
  if (kielce.currentStep === 'notification' && !kielce.notificationStatus) {
    await call('POST', `/api/csizs-campaigns/${DEMO_CSIZS}/units/${DEMO_UNIT}/notification`, `kier-${DEMO_UNIT}`, {
      unitName: 'Miejski Ośrodek Pomocy Rodzinie w Kielcach',
      address: 'ul. Studzienna 2, 25-542 Kielce',
      areas: ['Świadczenie wychowawcze 500+'],
      localAdmin: { firstName: 'Leszek', lastName: 'Lokalny', phone: '41 367 00 00', email: 'csizs@mopr.kielce.example' },
      head: { firstName: 'Krystyna', lastName: 'Kierownik', email: 'dyrektor@mopr.kielce.example' },
    });
  }
  const m = await monitoring();
  const calls: [string, string][] = [
    ['2601013', 'confirmed'],
    ['2602042', 'no_answer'],
  ];
  for (const [unit, outcome] of calls) {
    const row = m.callLists.checkpoint_1.find((r) => r.unitCode === unit);
    if (row && row.calls === 0) await call('POST', `/api/csizs-campaigns/${DEMO_CSIZS}/units/${unit}/calls`, ministry, { checkpoint: 'checkpoint_1', outcome });
  }
  await until('late units in the CSIZS campaign', async () => {
    const x = await monitoring();
    return x.lateUnits.length >= DEMO_CSIZS_UNITS.length - CSIZS_DONE_FIRST_STEP.length && x.perStep.notification >= 1;
  });
  log(
    `CSIZS campaign ${DEMO_CSIZS}: ${CSIZS_DONE_FIRST_STEP.length} of ${DEMO_CSIZS_UNITS.length} units past the first step, the rest late; ` +
      `Kielce at the notification (Załącznik 2) after its installation; checkpoint 1 open`,
  );
  return { applicants };
}

/** The development SMTP sink's folder as a mailbox (scripts/smtp-sink.ts keeps every mail as .eml). */
export function folderMailbox(dir: string): NonNullable<DemoTarget['mailbox']> {
  return async (to) => {
    if (!existsSync(dir)) return [];
    // Named <epoch ms>-<session>.eml: in the order they arrived.
    const files = readdirSync(dir).filter((f) => f.endsWith('.eml')).sort((a, b) => parseInt(a, 10) - parseInt(b, 10));
    const mails = await Promise.all(files.map((f) => simpleParser(readFileSync(join(dir, f)))));
    return mails
      .filter((m) => [m.to ?? []].flat().some((a) => a.value.some((v) => v.address?.toLowerCase() === to.toLowerCase())))
      .map((m) => ({ subject: m.subject ?? '', text: m.text ?? '' }));
  };
}

/**
 * `node dist/scripts/demo-scenario.js <demo-tokens.env> [mail-folder passwords-file]` against PUBLIC_URL
 * (default http://127.0.0.1:3000): with the sink's folder, the accepted applicants' logins and temporary
 * passwords are added to the passwords file.
 */
async function main(): Promise<void> {
  const [file, mailDir, passwordsFile] = process.argv.slice(2);
  if (!file) throw new Error('usage: demo-scenario <demo-tokens.env> [mail-folder passwords-file]');
  const tokens: Record<string, string> = {};
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const m = /^TOKEN_([A-Z0-9_]+)=(\S+)$/.exec(line.trim());
    if (m) tokens[m[1].toLowerCase().replace(/_/g, '-')] = m[2];
  }
  const summary = await fillDemo({
    base: process.env.PUBLIC_URL ?? 'http://127.0.0.1:3000',
    tokens,
    log: (l) => console.log(`[demo] ${l}`),
    mailbox: mailDir ? folderMailbox(mailDir) : undefined,
  });
  if (passwordsFile) {
    const listed = existsSync(passwordsFile) ? readFileSync(passwordsFile, 'utf8') : '';
    for (const a of summary.applicants) {
      if (listed.split('\n').some((l) => l.split(/\s+/)[0] === a.login)) continue;
      appendFileSync(passwordsFile, `${a.login}  ${a.temporaryPassword}  applicant ${a.unit} (temporary password from the mail; the first sign-in asks for a new one)\n`, { mode: 0o600 });
    }
  }
}

if (require.main === module) {
  main().catch((err: unknown) => {
    console.error(`[demo] ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  });
}
