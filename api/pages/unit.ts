import type { NextFunction, Request, Response, Router } from 'express';
import { AREA_LABELS } from '../../domain/offices';
import { roleLabel } from '../../domain/roles';
import { REPORTING_AREAS, REPORT_VERIFICATION_TASK_KIND, getCsizsStatus, getReportStatus, type CsizsConnectionView, type ReportView } from '../../workflows/messages';
import { REPORT_STATUS_LABELS } from '../../workflows/rules/report';
import {
  CSIZS_NOTIFICATION_STATUS_LABELS,
  CSIZS_VOIVODESHIP_STEPS,
  PIU_READER_ROLES,
  PIU_READER_ROLE_TITLES,
  notificationStep,
  ownPathOf,
  stepDeadline,
  stepOrder,
  stepTitle,
  type CampaignPlan,
  type CsizsStep,
  type PiuReaderRole,
} from '../../workflows/rules/csizs-campaign';
import { canDesignateReportPeople, canEditReport, canMarkReportAbsence, canOnCsizs, caseVisibilitySql, type Principal } from '../access';
import { statusLabel } from '../case-view';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import { formToBody, type Api } from '../http';
import { hashToken, readCookie, SESSION_COOKIE } from '../auth';
import { endedSession, stashedReportContent, stashReportContent } from '../../db/queries/report-stash';
import type { PageTwins } from '../app';
import type { PageKit } from './campaigns';
import { withFlash } from '../flash';
import { unsafeInput } from '../text';

// The pages of the unit's people (seed 000, 002, 003): "Parametry użytkownika" with "Wnioskuj o
// rozszerzenie uprawnień", and each report the person holds: its fields, the draft saved on every
// "Zapisz", the submission and its receipt (UPO) as PDF and JSON, data requests and their replies, the
// correction after a return, and for the head the responsible person, the substitute and absences. Every
// form is the twin of an API action (same validation, access decision and audit row).

type PageReq = Request & { principal?: Principal };
const enc = encodeURIComponent;

/** The fields every report form offers on its page; fields a draft or version already holds are shown too. */
export const REPORT_FIELDS: { key: string; label: string }[] = [
  { key: 'osoby', label: 'Liczba osób objętych pomocą' },
  { key: 'rodziny', label: 'Liczba rodzin' },
  { key: 'kwota', label: 'Kwota świadczeń (zł)' },
  { key: 'uwagi', label: 'Uwagi' },
];
const FIELD_KEY = /^[A-Za-z0-9_-]{1,60}$/;

interface ReportRow {
  id: string;
  form_code: string;
  period: string;
  unit_code: string;
  status: string;
  overdue: boolean;
  due_date: string;
  versions: number;
  name: string;
  area: string;
}

const statusText = (s: string) => REPORT_STATUS_LABELS[s as keyof typeof REPORT_STATUS_LABELS] ?? s;
const dayText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d).slice(0, 10));

export function registerUnitPages(router: Router, kit: PageKit, { orm, temporal, config }: ApiDeps, api: Api, twins: PageTwins): void {
  const conn = () => orm.em.fork().getConnection();
  /** When this session ends if the person does nothing: every page view and every form moves it on. */
  const idleEnd = () => new Date(Date.now() + config.SESSION_IDLE_MINUTES * 60_000);

  router.get('/parametry', kit.requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const c = conn();
    const [a] = await c.execute('select first_name, last_name, email, password_changed_at from accounts where id = ?', [p.accountId]);
    const requests = await c.execute<{ id: string; status: string; data: { target?: { unitCode?: string; area?: string } }; waiting_for: string | null }[]>(
      "select id, status, data, waiting_for from cases where type = 'permission' and account_id = ? order by created_at desc limit 50",
      [p.accountId],
    );
    const ownUnit = p.assignments.find((x) => x.unitCode)?.unitCode ?? '';
    kit.render(req, res, 'parameters', {
      person: { login: p.login, name: `${a.first_name} ${a.last_name}`, email: a.email, passwordExpiresAt: a.password_changed_at ? new Date(new Date(a.password_changed_at).getTime() + config.PASSWORD_MAX_AGE_DAYS * 86_400_000) : null },
      assignments: p.assignments.map((x) => ({ role: roleLabel(x.role), voivodeship: x.voivodeship ?? '—', unitCode: x.unitCode ?? '—', area: x.area ? AREA_LABELS[x.area] ?? x.area : '—' })),
      requests: requests.map((r) => ({ url: enc(r.id), unitCode: r.data?.target?.unitCode, area: AREA_LABELS[r.data?.target?.area ?? ''] ?? r.data?.target?.area, waitingFor: r.waiting_for ?? 'Sprawa zakończona' })),
      ownUnit,
      areas: REPORTING_AREAS.map((x) => ({ value: x, label: AREA_LABELS[x] ?? x })),
      showForm: req.query.wniosek === '1',
    });
  });
  api.form(router, twins.permission.request, {
    path: '/parametry/wniosek',
    back: '/parametry',
    ok: (r) => (r.created ? `Wniosek o rozszerzenie uprawnień złożony: sprawa ${r.id}` : `Taki wniosek już czeka na decyzję: sprawa ${r.id}`),
  });

  /** The reports this person may draft or whose people they designate, newest period first. */
  const heldReports = async (p: Principal) => {
    const units = [...new Set(p.assignments.filter((a) => a.unitCode && (a.role === 'staff' || a.role === 'unit_head')).map((a) => a.unitCode!))];
    if (!units.length) return [];
    const rows = await conn().execute<ReportRow[]>(
      `select r.id, r.form_code, r.period, r.unit_code, r.status, r.overdue, r.due_date, r.versions, f.name, f.area
       from reports r join report_forms f on f.code = r.form_code where r.unit_code in (?) order by r.due_date desc, r.id limit 500`,
      [units],
    );
    return rows.filter((r) => canEditReport(p, { unitCode: r.unit_code, area: r.area }) || canDesignateReportPeople(p, { unitCode: r.unit_code }));
  };

  router.get('/sprawozdania', kit.requireSession, async (req: PageReq, res) => {
    const rows = await heldReports(req.principal!);
    kit.render(req, res, 'reports', {
      reports: rows.map((r) => ({ url: enc(r.id), name: r.name, formCode: r.form_code, period: r.period, unitCode: r.unit_code, status: statusText(r.status), overdue: r.overdue, dueDate: dayText(r.due_date), versions: r.versions })),
    });
  });

  const loadReport = async (p: Principal, reportId: string) => {
    const [r] = await conn().execute<ReportRow[]>(
      'select r.id, r.form_code, r.period, r.unit_code, r.status, r.overdue, r.due_date, r.versions, f.name, f.area from reports r join report_forms f on f.code = r.form_code where r.id = ?',
      [reportId],
    );
    if (!r) throw new HttpError(404, 'NOT_FOUND', 'Nie ma takiego sprawozdania');
    const edit = canEditReport(p, { unitCode: r.unit_code, area: r.area });
    const designate = canDesignateReportPeople(p, { unitCode: r.unit_code });
    if (!edit && !designate) throw new HttpError(403, 'FORBIDDEN', 'To sprawozdanie jest poza Twoim zakresem');
    return { r, edit, designate };
  };

  router.get('/sprawozdania/:reportId', kit.requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const { r, edit, designate } = await loadReport(p, String(req.params.reportId));
    const c = conn();
    const live: ReportView | null = r.status === 'accepted' ? null : await temporal.workflow.getHandle(r.id).query(getReportStatus).catch(() => null);
    const [draft] = await c.execute<{ content: Record<string, unknown>; saved_at: string; saved_by: string }[]>('select content, saved_at, saved_by from report_drafts where report_id = ? order by id desc limit 1', [r.id]);
    const versions = await c.execute<{ version: number; receipt_number: string; sha256: string; submitted_at: string; submitted_by: string; content: Record<string, unknown> }[]>(
      'select version, receipt_number, sha256, submitted_at, submitted_by, content from report_versions where report_id = ? order by version desc',
      [r.id],
    );
    const docs = new Set((await c.execute<{ id: string }[]>('select id from documents where case_id = ?', [r.id])).map((d) => d.id));
    const last = versions[0];
    // The working copy: the newest of the last draft and the last version submitted, or what this person
    // typed when their session had ended before "Zapisz", if that is newer still.
    const saved = draft && (!last || new Date(draft.saved_at) > new Date(last.submitted_at)) ? { content: draft.content, at: draft.saved_at } : last ? { content: last.content, at: last.submitted_at } : null;
    const stash = await stashedReportContent(orm.em.fork(), p.accountId, r.id);
    const restored = stash && (!saved || new Date(stash.stashed_at) > new Date(saved.at)) ? stash : null;
    const content = restored?.content ?? saved?.content ?? {};
    const keys = [...REPORT_FIELDS.map((f) => f.key), ...Object.keys(content).filter((k) => FIELD_KEY.test(k) && !REPORT_FIELDS.some((f) => f.key === k))];
    const fields = keys.map((key) => ({ key, label: REPORT_FIELDS.find((f) => f.key === key)?.label ?? key, value: content[key] === undefined || content[key] === null ? '' : String(content[key]), long: key === 'uwagi' }));
    const requests = await c.execute<{ id: string; recipient_name: string; subject: string; due_date: string; status: string; overdue: boolean; answer_text: string | null; answered_by: string | null }[]>(
      'select id, recipient_name, subject, due_date, status, overdue, answer_text, answered_by from report_data_requests where report_id = ? order by created_at',
      [r.id],
    );
    const members = designate
      ? await c.execute<{ login: string; first_name: string; last_name: string }[]>(
          `select distinct a.login, a.first_name, a.last_name from accounts a join role_assignments ra on ra.account_id = a.id
           where a.status = 'active' and ra.unit_code = ? and (ra.role = 'unit_head' or (ra.role = 'staff' and (ra.area is null or ra.area = ?))) order by a.login`,
          [r.unit_code, r.area],
        )
      : [];
    const editable = edit && r.status !== 'accepted';
    // seed 002: after a return the unit reads the reviewer's remarks before correcting.
    const [returnedBy] =
      r.status === 'returned'
        ? await c.execute<{ comment: string | null; completed_at: string }[]>(
            "select comment, completed_at from tasks where case_id = ? and kind = ? and outcome = 'returned' order by completed_at desc limit 1",
            [r.id, REPORT_VERIFICATION_TASK_KIND],
          )
        : [];
    const REQUEST_STATUS: Record<string, string> = { open: 'czeka na odpowiedź', answered: 'odpowiedziano', cancelled: 'anulowana' };
    const docUrl = (id: string) => `/api/cases/${enc(r.id)}/documents/${enc(id)}`;
    kit.render(req, res, 'report', {
      r: { ...r, url: enc(r.id), statusText: statusText(r.status), dueDate: dayText(r.due_date), area: AREA_LABELS[r.area] ?? r.area },
      idleEnd: idleEnd(),
      idleMinutes: config.SESSION_IDLE_MINUTES,
      draft: draft && { savedAt: draft.saved_at, savedBy: draft.saved_by },
      restoredAt: restored?.stashed_at ?? null,
      returned: r.status === 'returned' && { remarks: returnedBy?.comment ?? null, at: returnedBy?.completed_at ?? null },
      editable,
      fields,
      versions: versions.map((v) => ({
        version: v.version,
        receiptNumber: v.receipt_number,
        sha256: v.sha256,
        submittedAt: v.submitted_at,
        submittedBy: v.submitted_by,
        pdf: docs.has(`${r.id}:v${v.version}:upo.pdf`) ? docUrl(`${r.id}:v${v.version}:upo.pdf`) : null,
        json: docs.has(`${r.id}:v${v.version}:upo.json`) ? docUrl(`${r.id}:v${v.version}:upo.json`) : null,
      })),
      requests: requests.map((q) => ({ ...q, url: enc(q.id), dueDate: dayText(q.due_date), statusText: REQUEST_STATUS[q.status] ?? q.status, open: q.status === 'open' && editable })),
      people: live && { responsible: live.responsible, substitute: live.substitute, absent: live.responsibleAbsent, assignee: live.assignee },
      designate: designate && r.status !== 'accepted',
      canAbsence: !!live && r.status !== 'accepted' && canMarkReportAbsence(p, { unitCode: r.unit_code, responsible: live.responsible }),
      members: members.map((m) => ({ login: m.login, label: `${m.first_name} ${m.last_name} (${m.login})`, responsible: m.login === live?.responsible, substitute: m.login === live?.substitute })),
    });
  });

  const reportBack = (req: Request) => `/sprawozdania/${enc(String(req.params.reportId))}`;
  /**
   * The session ended (30 idle minutes) before "Zapisz" or "Złóż": what the form carried is kept for this
   * person and report (the form proves it came from that session's page by its CSRF token), and after
   * signing in again the report page offers it in the form. Nothing is saved or submitted in their name.
   */
  const keepOnExpiry = async (req: Request, res: Response, next: NextFunction) => {
    try {
      await api.authenticate(req);
      return next();
    } catch (err) {
      if (!(err instanceof HttpError) || err.code !== 'SESSION_EXPIRED') return next();
      const secret = readCookie(req, SESSION_COOKIE);
      const em = orm.em.fork();
      const session = secret ? await endedSession(em, hashToken(secret)) : null;
      let content: unknown;
      try {
        content = formToBody(twins.reports.draft.spec.body, req.body ?? {}).content;
      } catch {
        return next(); // a form that is no form: the page kit refuses it (after signing in again)
      }
      // Only what could be stored: nothing PostgreSQL refuses (NUL, lone surrogates), no prototype keys.
      if (!session || req.body?._csrf !== session.csrf_token || !content || typeof content !== 'object' || unsafeInput(content, 'body.content').length) return next();
      await stashReportContent(em, { accountId: session.account_id, reportId: String(req.params.reportId), content: content as Record<string, unknown> });
      const said = `Sesja wygasła po ${config.SESSION_IDLE_MINUTES} minutach bezczynności. Wpisane dane sprawozdania zachowano: po zalogowaniu wrócą do formularza; zapisz je wtedy przyciskiem „Zapisz”.`;
      return res.redirect(303, withFlash(`/logowanie?powrot=${enc(reportBack(req))}`, 'blad', said));
    }
  };
  for (const path of ['/sprawozdania/:reportId/szkic', '/sprawozdania/:reportId/zloz']) router.post(path, keepOnExpiry);
  api.form(router, twins.reports.draft, { path: '/sprawozdania/:reportId/szkic', back: reportBack, ok: (r) => `Zapisano wersję roboczą (zapis nr ${r.drafts})` });
  api.form(router, twins.reports.submission, {
    path: '/sprawozdania/:reportId/zloz',
    back: reportBack,
    ok: (r) => `Sprawozdanie przekazane (wersja ${r.version}). Urzędowe poświadczenie odbioru: ${r.receiptNumber}`,
  });
  api.form(router, twins.reports.people, {
    path: '/sprawozdania/:reportId/osoby',
    back: reportBack,
    ok: (r) => `Wyznaczono: odpowiedzialny ${r.responsible ?? '—'}, zastępca ${r.substitute ?? '—'}`,
  });
  api.form(router, twins.reports.absence, {
    path: '/sprawozdania/:reportId/nieobecnosc',
    back: reportBack,
    ok: (r) => (r.responsibleAbsent ? `Zapisano nieobecność osoby odpowiedzialnej; zadanie prowadzi ${r.assignee ?? 'zastępca'}` : 'Zapisano powrót osoby odpowiedzialnej'),
  });
  api.form(router, twins.reports.dataRequest, { path: '/sprawozdania/:reportId/prosby', back: reportBack, ok: (r) => `Wysłano prośbę o dane (termin ${r.dueDate})` });
  api.form(router, twins.reports.dataReply, { path: '/sprawozdania/:reportId/prosby/:requestId/odpowiedz', back: reportBack, ok: () => 'Zapisano odpowiedź na prośbę o dane' });
}

/** Where a person of a unit starts: their reports. */
export const unitHome = (p: Principal) => (p.assignments.some((a) => a.role === 'staff' || a.role === 'unit_head') ? '/sprawozdania' : '/zadania');

/**
 * seed 004 pkt 2b, 9: the local administrator's page of their unit's people: reporting areas and PIU
 * roles, granted and revoked through the same actions as the API.
 */
export function registerUnitPeoplePages(router: Router, kit: PageKit, api: Api, twins: PageTwins): void {
  router.get('/jednostka/:unitCode/pracownicy', kit.requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const people = await twins.unitPeople.list.run({ params: { unitCode: String(req.params.unitCode) }, query: undefined, body: undefined, principal: p, req, res });
    kit.render(req, res, 'unit-people', {
      unitCode: String(req.params.unitCode),
      url: enc(String(req.params.unitCode)),
      people: people.map((x) => ({
        ...x,
        url: enc(x.login),
        roleLabels: x.roles.map(roleLabel).join(', '),
        areaLabels: x.areas.map((a) => AREA_LABELS[a] ?? a),
        piuLabels: x.piuRoles.map((r) => PIU_READER_ROLE_TITLES[r as PiuReaderRole] ?? r),
        grantAreas: REPORTING_AREAS.filter((a) => !x.areas.includes(a)).map((a) => ({ value: a, label: AREA_LABELS[a] ?? a })),
        revokeAreas: x.areas.map((a) => ({ value: a, label: AREA_LABELS[a] ?? a })),
        grantPiu: PIU_READER_ROLES.filter((r) => !x.piuRoles.includes(r)).map((r) => ({ value: r, label: PIU_READER_ROLE_TITLES[r as PiuReaderRole] ?? r })),
        revokePiu: x.piuRoles.map((r) => ({ value: r, label: PIU_READER_ROLE_TITLES[r as PiuReaderRole] ?? r })),
      })),
    });
  });
  const back = (req: Request) => `/jednostka/${enc(String(req.params.unitCode))}/pracownicy`;
  const said = (verb: string) => (r: { login: string; changed: boolean }, input: { body: { area?: string; piuRole?: string } }) => {
    const what = input.body.area ? `obszar ${AREA_LABELS[input.body.area] ?? input.body.area}` : `rolę ${PIU_READER_ROLE_TITLES[input.body.piuRole as PiuReaderRole] ?? input.body.piuRole}`;
    return r.changed ? `${verb} ${r.login}: ${what}` : `Bez zmian: ${r.login} ${verb === 'Nadano' ? 'już ma' : 'nie ma'} ${what}`;
  };
  api.form(router, twins.unitPeople.grant, { path: '/jednostka/:unitCode/pracownicy/:login/nadaj', back, ok: said('Nadano') });
  api.form(router, twins.unitPeople.revoke, { path: '/jednostka/:unitCode/pracownicy/:login/odbierz', back, ok: said('Odebrano') });
}

/**
 * "Moje sprawy": the open cases that concern this person — their own requests, their unit's cases (for
 * the unit's people) and the cases whose tasks they hold — each with what it waits for and on whom.
 */
export function registerMyCasesPage(router: Router, kit: PageKit, { orm }: ApiDeps): void {
  router.get('/moje-sprawy', kit.requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const vis = caseVisibilitySql(p);
    const units = [...new Set(p.assignments.filter((a) => a.unitCode && ['unit_head', 'local_admin', 'staff'].includes(a.role)).map((a) => a.unitCode!))];
    const conn = orm.em.fork().getConnection();
    const rows = await conn.execute<{ id: string; type: string; status: string; title: string; waiting_for: string | null; deadline: string | null; tasks: { role: string; claimed_by: string | null; title: string }[] }[]>(
      `select c.id, c.type, c.status, c.title, c.waiting_for, c.deadline,
         coalesce((select json_agg(json_build_object('role', t.role, 'claimed_by', t.claimed_by, 'title', t.title)) from tasks t where t.case_id = c.id and t.status = 'open'), '[]') as tasks
       from cases c
       where c.closed_at is null and ${vis.sql}
         and (c.account_id = ? ${units.length ? 'or c.unit_code in (?)' : ''} or exists (select 1 from tasks t where t.case_id = c.id and t.status = 'open' and t.claimed_by = ?))
       order by c.deadline asc nulls last, c.updated_at desc limit 200`,
      [...vis.params, p.accountId, ...(units.length ? [units] : []), p.login],
    );
    const now = Date.now();
    kit.render(req, res, 'my-cases', {
      cases: rows.map((c) => ({
        url: enc(c.id),
        title: c.title,
        status: c.type === 'report' ? statusText(c.status) : statusLabel(c),
        waitingFor: c.waiting_for ?? '—',
        onWhom: c.tasks.length
          ? c.tasks.map((t) => `${t.title}: ${t.claimed_by ?? roleLabel(t.role)}`).join('; ')
          : 'Na wnioskodawcy lub jednostce (żadne zadanie urzędu nie jest otwarte)',
        deadline: c.deadline,
        overdue: !!c.deadline && new Date(c.deadline).getTime() < now,
      })),
    });
  });
}

/** Who does a CSIZS step, as the unit's page says it (seed 004 pkt 2, 5, 6). */
function whoDoes(plan: CampaignPlan, s: CsizsStep): string {
  if (s === notificationStep(plan)) return 'kierownik jednostki (zgłoszenie), administrator wojewódzki (przyjęcie)';
  if (CSIZS_VOIVODESHIP_STEPS.includes(s)) return 'administrator wojewódzki';
  if (s === 'package_verified' || s === 'password_changed' || s === 'domain_registration' || s === 'dictionaries' || s === 'staff_accounts') return 'administrator lokalny';
  return 'jednostka';
}

/**
 * seed 004: the unit's own CSIZS steps for its head and local administrator, in the plan's order (version 2:
 * the notification right after the installation): the current unit step's form (the package check, the
 * registration's NTP source, Emp@tia address and certificate, the PIU reader roles among them), the
 * notification (Załącznik 2) with its PDF and the signed scan's upload, the package (Załącznik 3) and the
 * temporary password's change ("Zmiana hasła" before signing in, PI-MZT's rule). The same actions and
 * rules as the API (POST /api/csizs-campaigns/:id/units/:unitCode/…).
 */
export function registerCsizsUnitPages(router: Router, kit: PageKit, { orm, temporal }: ApiDeps, api: Api, twins: PageTwins): void {
  router.get('/jednostka/:unitCode/csizs', kit.requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const unitCode = String(req.params.unitCode);
    const conn = orm.em.fork().getConnection();
    const rows = await conn.execute<{ campaign_id: string; voivodeship: string; workflow_id: string; name: string | null; area: string | null; plan: CampaignPlan; vendors: string[] | null; unit_name: string | null }[]>(
      `select u.campaign_id, u.voivodeship, u.workflow_id, c.name, c.area, c.plan, c.calendar->'vendors' as vendors, un.name as unit_name
       from csizs_units u join csizs_campaigns c on c.id = u.campaign_id left join units un on un.code = u.unit_code where u.unit_code = ? order by c.created_at desc, u.campaign_id`,
      [unitCode],
    );
    if (!rows.length && !p.assignments.some((a) => a.unitCode === unitCode)) throw new HttpError(404, 'NOT_FOUND', 'Ta jednostka nie uczestniczy w kampanii podłączenia do CSIZS');
    const mine = rows.filter((r) => canOnCsizs(p, 'unit-step', { voivodeship: r.voivodeship, unitCode }));
    if (rows.length && !mine.length) throw new HttpError(403, 'FORBIDDEN', 'Ta jednostka jest poza Twoim zakresem');
    const [me] = await conn.execute<{ first_name: string; last_name: string; email: string }[]>('select first_name, last_name, email from accounts where id = ?', [p.accountId]);
    const isHead = p.assignments.some((a) => a.role === 'unit_head' && a.unitCode === unitCode);
    const connections = await Promise.all(
      mine.map(async (r) => {
        const v = await temporal.workflow.getHandle(r.workflow_id).query(getCsizsStatus).catch(() => null);
        const plan = r.plan;
        const current = v?.currentStep ?? null;
        const unitStep = !!current && !CSIZS_VOIVODESHIP_STEPS.includes(current) && !ownPathOf(plan, current);
        const n = v?.notification ?? null;
        const pkg = v?.package ?? null;
        const docUrl = (id: string) => `/api/csizs-campaigns/${enc(r.campaign_id)}/units/${unitCode}/documents/${enc(id)}`;
        const version2 = plan.version === 2;
        return {
          id: r.campaign_id,
          url: `/jednostka/${unitCode}/csizs/${enc(r.campaign_id)}`,
          details: `/kampanie/csizs/${enc(r.campaign_id)}/jednostki/${unitCode}`,
          name: r.name ?? r.campaign_id,
          running: !!v,
          connected: v?.connected ?? false,
          vendor: v?.vendor ?? null,
          steps: stepOrder(plan).map((s) => ({
            title: stepTitle(plan, s),
            done: v?.completed.includes(s) ?? false,
            current: s === current,
            late: v?.lateAt.includes(s) ?? false,
            deadline: v?.deadlines[s] ?? new Date(stepDeadline(plan, s, v?.vendor ?? null)).toISOString(),
            who: whoDoes(plan, s),
          })),
          stepForm: unitStep && {
            step: current,
            title: stepTitle(plan, current!),
            vendors: current === 'cas_report' ? (r.vendors ?? []) : null,
            registration: current === 'domain_registration' && version2,
            piuRoles: current === 'staff_accounts' && version2 ? PIU_READER_ROLES.map((x) => ({ value: x, label: PIU_READER_ROLE_TITLES[x] })) : null,
            packageCheck: current === 'package_verified',
          },
          notificationForm: current === notificationStep(plan) && (!n || n.status === 'rejected') && {
            unitName: n?.data.unitName ?? r.unit_name ?? '',
            address: n?.data.address ?? '',
            areas: Object.entries(AREA_LABELS).map(([value, label]) => ({ value, label, checked: n ? n.data.areas.includes(value) : value === r.area })),
            localAdmin: n?.data.localAdmin ?? null,
            head: n?.data.head ?? (isHead && me ? { firstName: me.first_name, lastName: me.last_name, email: me.email } : null),
          },
          notification: n && {
            status: CSIZS_NOTIFICATION_STATUS_LABELS[n.status],
            pdf: docUrl(n.documentId),
            scanForm: n.status === 'awaiting_scan' || n.status === 'rejected',
            reason: n.rejectionReason,
            question: n.status === 'clarification' ? n.question : null,
          },
          package: pkg && { zip: docUrl(pkg.documentId), sentAt: pkg.sentAt, handedOverAt: pkg.passwordHandedOverAt, login: pkg.localAdminLogin, systems: pkg.domainSystems.join(', ') },
          passwordStep: current === 'password_changed' || (!!pkg && !v?.passwordChangedAt && !v?.completed.includes('password_changed')),
          passwordChangedAt: v?.passwordChangedAt ?? null,
        };
      }),
    );
    kit.render(req, res, 'unit-csizs', { unitCode, unitName: rows[0]?.unit_name ?? null, connections });
  });
  // The page's address names the campaign and the unit; the API twin's too (id, unitCode).
  const params = async (page: Record<string, string>) => ({ id: page.campaignId, unitCode: page.unitCode });
  const back = (req: Request) => `/jednostka/${enc(String(req.params.unitCode))}/csizs`;
  // A view of a plan before version 2 has no deadline for the notification: its titles are the older ones.
  const titleIn = (v: CsizsConnectionView, s: CsizsStep) => stepTitle({ version: 'notification' in v.deadlines ? 2 : undefined } as CampaignPlan, s);
  api.form(router, twins.csizs.step, {
    path: '/jednostka/:unitCode/csizs/:campaignId/krok',
    back,
    params,
    ok: (v, { body }) => `Zapisano wykonanie kroku „${titleIn(v, body.step)}”. ${v.currentStep ? `Następny krok: „${titleIn(v, v.currentStep)}”` : 'Jednostka wykonała wszystkie kroki'}`,
  });
  api.form(router, twins.csizs.notification, { path: '/jednostka/:unitCode/csizs/:campaignId/zgloszenie', back, params, ok: () => 'Zapisano zgłoszenie (Załącznik 2): pobierz je, podpisz i prześlij skan' });
  api.form(router, twins.csizs.notificationScan, { path: '/jednostka/:unitCode/csizs/:campaignId/skan', back, params, ok: () => 'Przesłano skan zgłoszenia: czeka na decyzję administratora wojewódzkiego' });
}
