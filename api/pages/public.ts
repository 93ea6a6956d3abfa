import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Request, Response, Router } from 'express';
import { UnitSchema } from '../../db/entities/index';
import { getBlob } from '../../lib/blobs';
import { AREA_LABELS, UNIT_TYPE_LABELS } from '../../domain/offices';
import { officeOf } from '../offices/service';
import { REPORTING_AREAS, UNIT_TYPES } from '../../workflows/messages';
import type { Principal } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import type { PageTwins } from '../app';
import type { PageKit } from './campaigns';
import { withFlash } from '../flash';

// The public pages (seed 000), no sign-in and no script: the registration of a unit and its user with a
// server-side TERYT search, its answer (the case number, the form to print and sign, where to send the
// scan, what happens next), and the password reminder. Their forms are the twins of the public API
// actions (POST /api/registrations, POST /api/auth/password-reminder).

type PageReq = Request & { principal?: Principal };
const enc = encodeURIComponent;

/** The link to a registration's answer page and its form: only the applicant who submitted it has it. */
export function registrationLinkKey(payloadKey: string, caseId: string): string {
  return createHmac('sha256', Buffer.from(payloadKey, 'base64')).update(`registration-answer:${caseId}`).digest('base64url').slice(0, 32);
}

const sameKey = (a: string, b: string) => a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));

/** The form's fields as typed, to fill the form again after a refusal. */
function typed(body: Record<string, unknown>) {
  const v = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : '');
  const areas = ([] as unknown[]).concat(body.areas ?? []).map(String);
  return { v, areas };
}

export function registerPublicPages(router: Router, kit: PageKit, { orm, config }: ApiDeps, api: Api, twins: PageTwins): void {
  const key = (caseId: string) => registrationLinkKey(config.PAYLOAD_KEY, caseId);
  // A link made before a payload key rotation still opens: every key of the ring is tried, the active one makes new links.
  const linkOk = (k: string, caseId: string) => Object.values(config.PAYLOAD_KEYRING.keys).some((b64) => sameKey(k, registrationLinkKey(b64, caseId)));

  const searchUnits = async (q: string) => {
    const em = orm.em.fork();
    const like = q.replace(/[%_\\]/g, '');
    return em.find(UnitSchema, { kind: { $in: ['gmina', 'powiat'] }, $or: [{ name: { $ilike: `%${like}%` } }, { code: { $like: `${like}%` } }] }, { orderBy: { code: 'asc' }, limit: 30 });
  };

  const renderForm = async (req: PageReq, res: Response, opts: { teryt?: string; body?: Record<string, unknown>; error?: string; details?: string[] }, status = 200) => {
    const q = typeof req.query.q === 'string' ? req.query.q.trim() : '';
    const teryt = opts.teryt ?? (typeof req.query.teryt === 'string' ? req.query.teryt : '');
    const unit = /^\d{4}(\d{3})?$/.test(teryt) ? await orm.em.fork().findOne(UnitSchema, { code: teryt, kind: { $in: ['gmina', 'powiat'] } }) : null;
    const found = q.length >= 2 ? await searchUnits(q) : [];
    const { v, areas } = typed(opts.body ?? {});
    const registerUnit = v('registerUnit') || 'true';
    kit.render(
      req,
      res,
      'register',
      {
        q,
        searched: q.length >= 2,
        tooShort: q.length === 1,
        found: found.map((u) => ({ code: u.code, label: `${u.name} (${u.nameExtra})`, url: `/rejestracja?teryt=${enc(u.code)}` })),
        unit: unit && { code: unit.code, label: `${unit.name} (${unit.nameExtra})`, office: (await officeOf(orm.em.fork(), unit.voivodeship))?.name },
        unknownTeryt: !!teryt && !unit,
        f: {
          registerUnitTrue: registerUnit === 'true',
          name: v('unit.name'),
          street: v('unit.street'),
          postalCode: v('unit.postalCode'),
          city: v('unit.city'),
          unitEmail: v('unit.email'),
          unitPhone: v('unit.phone'),
          firstName: v('applicant.firstName'),
          lastName: v('applicant.lastName'),
          position: v('applicant.position'),
          email: v('applicant.email'),
          phone: v('applicant.phone'),
        },
        types: UNIT_TYPES.map((t) => ({ value: t, label: UNIT_TYPE_LABELS[t] ?? t, selected: v('unit.type') === t })),
        areas: REPORTING_AREAS.map((a) => ({ value: a, label: AREA_LABELS[a] ?? a, checked: areas.includes(a) })),
        error: opts.error,
        details: opts.details,
      },
      status,
    );
  };

  router.get('/rejestracja', async (req: PageReq, res) => {
    await renderForm(req, res, {});
  });

  api.form(router, twins.registration.submit, {
    path: '/rejestracja',
    back: (req) => `/rejestracja?teryt=${enc(String(req.body?.['unit.terytCode'] ?? ''))}`,
    redirect: (r) => `/rejestracja/sprawa/${enc(r.id)}?k=${key(r.id)}${r.created ? '' : '&istniejaca=1'}`,
    onError: (err, req, res) => {
      void renderForm(req, res, {
        teryt: String(req.body?.['unit.terytCode'] ?? ''),
        body: req.body ?? {},
        error: err.code === 'VALIDATION_FAILED' || err.details?.length ? 'Popraw formularz: niektóre pola są wypełnione niepoprawnie' : err.message,
        details: err.details?.map((d) => `${FIELD_LABELS[d.path.replace(/^body\./, '').replace(/\.\d+$/, '')] ?? d.path}: ${d.message}`),
      }, err.status).catch(() => res.status(500).end());
    },
  });

  const answerCase = async (req: Request) => {
    const caseId = String(req.params.caseId);
    const k = typeof req.query.k === 'string' ? req.query.k : '';
    if (!linkOk(k, caseId)) throw new HttpError(404, 'NOT_FOUND', 'Nie ma takiego wniosku albo odnośnik jest niepełny: skorzystaj z odnośnika z tej strony lub z wiadomości e-mail');
    const [c] = await orm.em.fork().getConnection().execute<{ id: string; voivodeship: string; unit_code: string; data: { application?: { applicant?: { email?: string }; unit?: { name?: string } } } }[]>(
      "select id, voivodeship, unit_code, data from cases where id = ? and type = 'registration'",
      [caseId],
    );
    return { caseId, k, c: c ?? null };
  };

  router.get('/rejestracja/sprawa/:caseId', async (req: PageReq, res) => {
    const { caseId, k, c } = await answerCase(req);
    const em = orm.em.fork();
    const [form] = c
      ? await em.getConnection().execute<{ id: string }[]>("select id from documents where case_id = ? and id like '%:registration-form.pdf' order by created_at desc limit 1", [caseId])
      : [];
    const unit = await em.findOne(UnitSchema, { code: c?.unit_code ?? caseId.split('-')[1] ?? '' });
    const voivodeship = c?.voivodeship ?? unit?.voivodeship ?? '';
    // The register of voivodeship offices (data the ministry keeps, /urzedy-wojewodzkie).
    const o = voivodeship ? await officeOf(em, voivodeship) : null;
    kit.render(req, res, 'register-done', {
      caseId,
      existing: req.query.istniejaca === '1',
      ready: !!form,
      formUrl: `/rejestracja/sprawa/${enc(caseId)}/formularz.pdf?k=${k}`,
      selfUrl: `/rejestracja/sprawa/${enc(caseId)}?k=${k}`,
      email: c?.data?.application?.applicant?.email,
      unitName: c?.data?.application?.unit?.name ?? unit?.name,
      office: o && { name: o.name ?? `urząd wojewódzki (województwo ${o.voivodeshipName ?? o.voivodeship})`, epuap: o.epuapBox, email: o.socialPolicyEmail },
      reminderDays: config.REGISTRATION_REMINDER_DAYS.join(' i '),
      expiryDays: config.REGISTRATION_EXPIRY_DAYS,
    });
  });

  router.get('/rejestracja/sprawa/:caseId/formularz.pdf', async (req: PageReq, res) => {
    const { caseId, c } = await answerCase(req);
    const em = orm.em.fork();
    const [doc] = c
      ? await em.getConnection().execute<{ sha256: string }[]>("select sha256 from documents where case_id = ? and id like '%:registration-form.pdf' order by created_at desc limit 1", [caseId])
      : [];
    const content = doc ? await getBlob(em, doc.sha256) : null;
    if (!content) throw new HttpError(404, 'NOT_FOUND', 'Formularz jest jeszcze przygotowywany: wróć do poprzedniej strony i odśwież ją za chwilę');
    res.type('application/pdf').set('Content-Disposition', 'attachment; filename="formularz-rejestracyjny.pdf"').send(content);
  });

  router.get('/przypomnij-haslo', (req: PageReq, res) => kit.render(req, res, 'reminder', { login: typeof req.query.login === 'string' ? req.query.login : '' }));
  api.form(router, twins.auth.reminder, {
    path: '/przypomnij-haslo',
    back: '/przypomnij-haslo',
    redirect: (r) => withFlash('/logowanie', 'ok', r.message),
  });
}

/** Field names of the registration form as the person sees them, for the refusal's list. */
const FIELD_LABELS: Record<string, string> = {
  registerUnit: 'Rodzaj wniosku',
  'unit.terytCode': 'Kod TERYT',
  'unit.type': 'Rodzaj jednostki',
  'unit.name': 'Nazwa jednostki',
  'unit.street': 'Ulica i numer',
  'unit.postalCode': 'Kod pocztowy',
  'unit.city': 'Miejscowość',
  'unit.email': 'E-mail jednostki',
  'unit.phone': 'Telefon jednostki',
  'applicant.firstName': 'Imię',
  'applicant.lastName': 'Nazwisko',
  'applicant.position': 'Stanowisko',
  'applicant.email': 'E-mail wnioskodawcy',
  'applicant.phone': 'Telefon wnioskodawcy',
  areas: 'Obszary sprawozdawcze',
};
