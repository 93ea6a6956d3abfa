import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import { CaseSchema, TaskSchema, type Task } from '../../db/entities';
import { isAdministratorRole, roleLabel, watchesCampaignsRole } from '../../domain/roles';
import { warsawLocalMinute, type Templates } from '../../lib/templates';
import { canOnCase, canOnCsizs, type Principal } from '../access';
import { buildCaseView, findCase, statusLabel } from '../case-view';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';
import type { PageTwins } from '../app';
import { csizsUnitOfWorkflow } from '../csizs/service';
import { unitDirectory } from '../system/unit-directory';
import { caseFilters, casesCsv, countAttention, listCases } from '../cases/service';
import { CASE_TYPE_LABELS, outboxFigures, overviewFigures } from '../cases/figures';
import { CASE_STATUS_LABELS, documentSourceLabel, formatSize } from '../labels';
import { openedViaLabel } from '../../domain/letters';
import { registerLetterPages } from './letters';
import { isDecisionTask, openTasksFor } from '../tasks/service';
import { registerCampaignPages } from './campaigns';
import { registerPublicPages } from './public';
import { registerCsizsUnitPages, registerMyCasesPage, registerUnitPages, registerUnitPeoplePages } from './unit';
import { registerOfficePages } from './offices';
import { FLASH_PARAMS, readFlash, withFlash } from '../flash';

// The dashboards: server-rendered Polish pages behind the same sign-in and the same access rules
// (api/access.ts) as the API. Every form is the page twin of an API action, declared with `api.form`:
// the same authentication, CSRF check, zod schema, handler and audit row; it answers with a redirect.

const TYPE_LABELS = CASE_TYPE_LABELS;

/** How a task without a decision form is completed, said to the person holding it. */
const CLOSES_WITH: Record<string, string> = {
  'report-preparation': 'Zadanie zamknie się samo po złożeniu sprawozdania.',
  'report-correction': 'Zadanie zamknie się samo po złożeniu poprawionego sprawozdania.',
  'csizs-clarification': 'Zadanie zamknie się po udzieleniu wyjaśnienia do zgłoszenia podłączenia (Załącznik 2).',
  'csizs-password-handover': 'Zadanie zamknie się po zapisaniu, że hasło do pakietu przekazano telefonicznie (hasła się nie zapisuje).',
};

type PageReq = Request & { principal?: Principal };
/** A CSIZS task's unit as the access rules see it. */
const csizsScope = (t: Task) => ({ voivodeship: t.voivodeship ?? '', unitCode: t.unitCode ?? '' });
const enc = encodeURIComponent;

export function createPages(deps: ApiDeps, templates: Templates, api: Api, twins: PageTwins): Router {
  const { orm, config } = deps;
  const router = express.Router();
  const authenticate = api.authenticate;
  const names = async () => (await unitDirectory(orm.em)).voivodeships;

  const render = (req: PageReq, res: Response, page: string, data: Record<string, unknown>, status = 200) => {
    const p = req.principal;
    const flash = readFlash(req.query);
    res
      .status(status)
      .type('html')
      .send(
        templates.render(`pages/${page}`, {
          ...data,
          flash,
          csrf: p?.csrfToken,
          me: p && {
            login: p.login,
            roles: [...new Set(p.assignments.map((a) => roleLabel(a.role)))].join(', '),
            watchesCampaigns: p.assignments.some((a) => watchesCampaignsRole(a.role)),
            unitReports: p.assignments.some((a) => a.role === 'staff' || a.role === 'unit_head'),
            managedUnits: [...new Set(p.assignments.filter((a) => a.role === 'local_admin' && a.unitCode).map((a) => a.unitCode))],
            csizsUnits: [...new Set(p.assignments.filter((a) => (a.role === 'local_admin' || a.role === 'unit_head') && a.unitCode?.length === 7).map((a) => a.unitCode))],
          },
        }),
      );
  };

  /** Pages need a browser session; without one (or after 30 idle minutes) the person signs in again. Forms: see Api.form. */
  const requireSession = async (req: PageReq, res: Response, next: NextFunction) => {
    try {
      const p = await authenticate(req);
      if (!p || p.via !== 'session') return res.redirect(`/logowanie?powrot=${enc(req.originalUrl)}`);
      req.principal = p;
      if (p.mustChangePassword && req.path !== '/haslo') return res.redirect('/haslo');
      next();
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) return res.redirect(withFlash(`/logowanie?powrot=${enc(req.originalUrl)}`, 'blad', err.message));
      next(err);
    }
  };

  router.get('/', (_req, res) => res.redirect('/zadania'));

  router.get('/logowanie', async (req: PageReq, res) => {
    // A person already signed in signs in again with the session's CSRF token, as every form does.
    req.principal = (await authenticate(req).catch(() => null)) ?? undefined;
    const flash = readFlash(req.query);
    render(req, res, 'login', { back: safeBack(req.query.powrot), error: flash?.kind === 'error' ? flash.text : undefined });
  });
  const safeBack = (to: unknown) => (typeof to === 'string' && to.startsWith('/') && !to.startsWith('//') ? to : '/zadania');
  api.form(router, twins.auth.login, {
    path: '/logowanie',
    back: '/logowanie',
    pageFields: ['powrot'],
    redirect: (session, req) => (session.mustChangePassword ? '/haslo' : safeBack(req.body?.powrot)),
    onError: (err, req, res) => render(req, res, 'login', { back: safeBack(req.body?.powrot), login: String(req.body?.login ?? ''), error: err.message }, err.status),
  });

  api.form(router, twins.auth.logout, { path: '/wyloguj', back: '/zadania', redirect: () => withFlash('/logowanie', 'ok', 'Wylogowano') });

  // The password reminder's link (seed 000): a GET changes nothing (mail scanners open links); the
  // person confirms with the form, the twin of POST /api/auth/password-reminder/link.
  router.get('/haslo/przypomnienie', async (req: PageReq, res) => {
    req.principal = (await authenticate(req).catch(() => null)) ?? undefined;
    render(req, res, 'password-reminder', { token: typeof req.query.token === 'string' ? req.query.token : '' });
  });
  api.form(router, twins.auth.reminderLink, {
    path: '/haslo/przypomnienie',
    back: '/logowanie',
    redirect: (r) => withFlash('/logowanie', 'ok', r.message),
    onError: (err, req, res) => render(req, res, 'password-reminder', { token: String(req.body?.token ?? ''), error: err.message }, err.status),
  });

  // seed 004 pkt 6b: PI-MZT's "Zmiana hasła" on the sign-in screen, for a temporary password that signs nobody in.
  router.get('/zmiana-hasla', (req: PageReq, res) => render(req, res, 'temporary-password', {}));
  api.form(router, twins.auth.temporaryPassword, {
    path: '/zmiana-hasla',
    back: '/zmiana-hasla',
    redirect: () => withFlash('/logowanie', 'ok', 'Hasło zostało zmienione. Zaloguj się nowym hasłem.'),
    onError: (err, req, res) => render(req, res, 'temporary-password', { login: String(req.body?.login ?? ''), error: err.message, details: err.details?.map((d) => d.message) }, err.status),
  });

  router.get('/haslo', requireSession, (req: PageReq, res) => render(req, res, 'password', {}));
  api.form(router, twins.auth.password, {
    path: '/haslo',
    back: '/haslo',
    redirect: () => withFlash('/zadania', 'ok', 'Hasło zostało zmienione'),
    onError: (err, req, res, principal) => {
      (req as PageReq).principal = principal ?? undefined;
      render(req, res, 'password', { error: err.message, details: err.details?.map((d) => d.message) }, err.status);
    },
  });

  router.get('/zadania', requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const em = orm.em.fork();
    const visible = await openTasksFor(em, p);
    const cases = new Map((await em.find(CaseSchema, { id: { $in: visible.map((t) => t.caseId) } }, { fields: ['id', 'title'] })).map((c) => [c.id, c.title]));
    const admin = p.assignments.some((a) => isAdministratorRole(a.role));
    const now = Date.now();
    const mine = (t: Task) => !t.claimedBy || t.claimedBy === p.login;
    render(req, res, 'tasks', {
      nowLocal: warsawLocalMinute(now),
      tasks: visible.map((t) => ({
        ...t,
        url: enc(t.id),
        // A CSIZS connection has no case page: its task names the unit's connection instead.
        caseUrl: cases.has(t.caseId) ? enc(t.caseId) : null,
        caseTitle: cases.get(t.caseId) ?? t.caseId,
        overdue: !!t.dueAt && t.dueAt.getTime() < now,
        followUp: t.dueAt ? new Date(t.dueAt.getTime() - 2 * 86_400_000) : null,
        canClaim: !t.claimedBy,
        canRelease: t.claimedBy === p.login || (!!t.claimedBy && admin),
        canDecide: isDecisionTask(t) && mine(t),
        // CSIZS steps done by a person, through the same rules as their API routes.
        canClarify: t.kind === 'csizs-clarification' && mine(t) && canOnCsizs(p, 'unit-head', csizsScope(t)),
        canHandOver: t.kind === 'csizs-password-handover' && mine(t) && canOnCsizs(p, 'voivodeship-step', csizsScope(t)),
        closesWith: isDecisionTask(t) ? null : CLOSES_WITH[t.kind] ?? 'Zadanie zamknie się samo, gdy sprawa przejdzie do następnego kroku.',
        canReassign: admin,
      })),
    });
  });

  const taskTo = '/zadania';
  api.form(router, twins.tasks.claim, { path: '/zadania/:taskId/przejmij', back: taskTo, ok: () => 'Zadanie przejęte' });
  api.form(router, twins.tasks.release, { path: '/zadania/:taskId/zwolnij', back: taskTo, ok: () => 'Zadanie zwolnione' });
  api.form(router, twins.tasks.reassign, { path: '/zadania/:taskId/przekaz', back: taskTo, ok: (t) => `Zadanie przekazane: ${t.claimedBy}` });
  api.form(router, twins.tasks.complete, { path: '/zadania/:taskId/decyzja', back: taskTo, ok: (r) => (r.outcome === 'accepted' ? 'Decyzja zapisana: zaakceptowano' : 'Decyzja zapisana: odrzucono') });
  /** A CSIZS task's unit (its API twin is addressed by campaign and unit); 404 for another kind of task. */
  const csizsTaskUnit = (kind: string) => async (page: Record<string, string>) => {
    const task = await orm.em.fork().findOne(TaskSchema, { id: page.taskId });
    const unit = task && task.kind === kind ? await csizsUnitOfWorkflow(orm, task.caseId) : null;
    if (!task || !unit) throw new HttpError(404, 'NOT_FOUND', 'Nie ma takiego zadania');
    if (task.status !== 'open') throw new HttpError(409, 'TASK_NOT_OPEN', 'To zadanie zostało już zakończone');
    return { id: unit.campaignId, unitCode: unit.unitCode };
  };
  api.form(router, twins.csizs.clarification, {
    path: '/zadania/:taskId/wyjasnienie',
    back: taskTo,
    params: csizsTaskUnit('csizs-clarification'),
    ok: (_r, { params }) => `Wysłano wyjaśnienie do zgłoszenia jednostki ${params.unitCode}; zgłoszenie wraca do decyzji urzędu wojewódzkiego`,
  });
  api.form(router, twins.csizs.handover, {
    path: '/zadania/:taskId/haslo-przekazane',
    back: taskTo,
    params: csizsTaskUnit('csizs-password-handover'),
    ok: (_r, { params }) => `Zapisano przekazanie hasła do pakietu jednostce ${params.unitCode}`,
  });

  const parseFilters = (req: Request) => {
    const raw = Object.fromEntries(Object.entries(req.query).filter(([, v]) => typeof v === 'string' && v !== ''));
    const parsed = caseFilters.safeParse(raw);
    if (!parsed.success) throw new HttpError(400, 'VALIDATION_FAILED', `Niepoprawny filtr: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    return { f: parsed.data, raw: raw as Record<string, string> };
  };

  router.get('/sprawy', requireSession, async (req: PageReq, res) => {
    const { f, raw } = parseFilters(req);
    const { rows, total, exact, more } = await listCases(orm.em.fork(), req.principal!, f);
    const voivs = await names();
    // Past COUNT_CAP cases some filters say "ponad 1 000" rather than count them all on every request.
    const pages = Math.max(1, Math.ceil(total / f.perPage));
    const qs = (over: Record<string, string | number>) => new URLSearchParams({ ...raw, ...Object.fromEntries(Object.entries(over).map(([k, v]) => [k, String(v)])) }).toString();
    const now = Date.now();
    render(req, res, 'cases', {
      f,
      total: exact ? String(total) : `ponad ${total.toLocaleString('pl-PL')}`,
      canBulk: req.principal!.assignments.some((a) => isAdministratorRole(a.role)),
      page: f.page,
      pages: exact ? String(pages) : `ponad ${pages}`,
      query: qs({ page: 1 }),
      // The bulk form acts on this selection: the filters as the API's body fields (filters.<name>).
      filterFields: Object.entries(raw).filter(([k]) => !['page', 'perPage', ...FLASH_PARAMS].includes(k)).map(([k, value]) => ({ name: `filters.${k}`, value })),
      prev: f.page > 1 ? qs({ page: f.page - 1 }) : null,
      next: more ? qs({ page: f.page + 1 }) : null,
      types: Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label, selected: f.type === value })),
      // The status filter as a choice, per case type (a status code may be shared by several types).
      statusGroups: Object.entries(CASE_STATUS_LABELS)
        .filter(([type]) => !f.type || f.type === type)
        .map(([type, labels]) => ({ label: TYPE_LABELS[type] ?? type, options: Object.entries(labels).map(([value, label]) => ({ value, label, selected: f.status === value })) })),
      voivodeships: [...voivs].map(([code, name]) => ({ code, name, selected: f.voivodeship === code })),
      sorts: [['updated', 'ostatnia zmiana'], ['deadline', 'termin'], ['created', 'data założenia'], ['unit', 'kod TERYT']].map(([value, label]) => ({ value, label, selected: f.sort === value })),
      rows: rows.map((r) => ({
        url: enc(r.id),
        title: r.title,
        unit_code: r.unit_code,
        unitName: r.unit_name ?? '',
        statusLabel: statusLabel(r),
        waiting_for: r.waiting_for,
        deadline: r.deadline,
        updated_at: r.updated_at,
        overdue: !r.closed_at && r.deadline !== null && r.deadline < now,
        attention: r.attention_reason,
      })),
    });
  });

  // The selection travels as filters.<name> fields (the API's body); query is the list's address to go back to.
  api.form(router, twins.cases.bulk, {
    path: '/sprawy/zbiorczo',
    back: (req) => `/sprawy?${typeof req.body?.query === 'string' ? req.body.query : ''}`,
    pageFields: ['query'],
    ok: (r) => {
      const text = `Zmieniono ${r.changed.length} spraw.${r.notChanged.length ? ` Bez zmian ${r.notChanged.length}: ${r.notChanged.map((n) => `${n.id} (${n.reason})`).join('; ')}` : ''}`;
      return r.notChanged.length ? { error: text } : text;
    },
  });

  router.get('/sprawy.csv', requireSession, async (req: PageReq, res) => {
    const { f } = parseFilters(req);
    const { rows } = await listCases(orm.em.fork(), req.principal!, f, { all: true });
    const voivodeships = await names();
    res.type('text/csv; charset=utf-8').set('Content-Disposition', `attachment; filename="sprawy-${new Date().toISOString().slice(0, 10)}.csv"`).send(casesCsv(rows, { type: (t) => TYPE_LABELS[t] ?? t, status: (c) => statusLabel(c), voivodeship: (code) => voivodeships.get(code) ?? code }));
  });

  router.get('/sprawy/:caseId', requireSession, async (req: PageReq, res) => {
    const em = orm.em.fork();
    const c = await findCase(em, String(req.params.caseId));
    if (!c) throw new HttpError(404, 'NOT_FOUND', 'Nie ma takiej sprawy');
    if (!canOnCase(req.principal!, 'view', c)) throw new HttpError(403, 'FORBIDDEN', 'Ta sprawa jest poza Twoim zakresem');
    const view = await buildCaseView(em, c, config.TEMPORAL_UI_URL, config.TEMPORAL_NAMESPACE);
    const reminders = view.history.filter((e) => e.type === 'reminder_sent').length;
    const since = view.history.length ? view.history[view.history.length - 1].at : view.createdAt;
    const days = Math.floor((Date.now() - Date.parse(since)) / 86_400_000);
    const sentence = view.waitingFor
      ? `${view.waitingFor}, od ${days} ${days === 1 ? 'dnia' : 'dni'}; przypomnienie wysłano ${reminders} ${reminders === 1 ? 'raz' : 'razy'}.`
      : `Sprawa zakończona: ${view.statusLabel.toLowerCase()}.`;
    const MAIL_STATUS: Record<string, string> = { sent: 'wysłana', failed: 'nieudana', pending: 'oczekuje' };
    const ACTORS: Record<string, string> = { applicant: 'wnioskodawca', system: 'system' };
    const shown = {
      ...view,
      history: view.history.map((e) => ({ ...e, actor: ACTORS[e.actor] ?? e.actor })),
      mail: view.mail.map((m) => ({ ...m, status: MAIL_STATUS[m.status] ?? m.status })),
      documents: view.documents.map((d) => ({ ...d, sourceLabel: documentSourceLabel(d.source), sizeText: formatSize(d.size) })),
      letters: view.letters.map((l) => ({ ...l, opened: l.opened && { ...l.opened, viaLabel: openedViaLabel(l.opened.via) } })),
    };
    render(req, res, 'case', { c: shown, sentence, openTasks: view.tasks.filter((t) => t.status === 'open').map((t) => ({ ...t, role: roleLabel(t.role) })), voivodeshipName: (await names()).get(view.voivodeship) ?? view.voivodeship });
  });

  router.get('/przeglad', requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const type = typeof req.query.type === 'string' && req.query.type in TYPE_LABELS ? req.query.type : undefined;
    const attention = await countAttention(orm.em.fork(), p, type);
    const voivs = await names();
    const o = await overviewFigures(orm.em.fork(), p, voivs, type);
    const tiles = o.voivodeships.map((t, i) => ({ ...t, y: i * 22, barWidth: Math.round((500 * t.percent) / 100) }));
    render(req, res, 'overview', {
      scopeName: o.scope ? o.scope.map((c) => voivs.get(c) ?? c).join(', ') : null,
      types: Object.entries(TYPE_LABELS).map(([value, label]) => ({ value, label, selected: type === value })),
      tiles,
      chartHeight: tiles.length * 22,
      total: o.total,
      statuses: o.statuses,
      attention,
      attentionQuery: new URLSearchParams({ attention: '1', ...(type ? { type } : {}) }).toString(),
    });
  });

  router.get('/poczta', requireSession, async (req: PageReq, res) => {
    const p = req.principal!;
    const status = typeof req.query.status === 'string' && ['sent', 'failed', 'pending'].includes(req.query.status) ? req.query.status : null;
    const mails = await outboxFigures(orm.em.fork(), p, status);
    render(req, res, 'outbox', { status, mails: mails.map((m) => ({ ...m, url: enc(m.id), caseUrl: enc(m.case_id) })) });
  });

  api.form(router, twins.cases.resendMail, { path: '/poczta/:mailId/ponow', back: '/poczta', ok: () => 'Wiadomość zostanie wysłana ponownie' });

  registerCampaignPages(router, { render, requireSession, names }, deps, api, twins);
  registerPublicPages(router, { render, requireSession, names }, deps, api, twins);
  registerUnitPages(router, { render, requireSession, names }, deps, api, twins);
  registerUnitPeoplePages(router, { render, requireSession, names }, api, twins);
  registerMyCasesPage(router, { render, requireSession, names }, deps);
  registerOfficePages(router, { render, requireSession, names }, deps, api, twins);
  registerCsizsUnitPages(router, { render, requireSession, names }, deps, api, twins);
  registerLetterPages(router, { render, requireSession, names }, deps, api, twins);

  // Errors on pages are pages too, in Polish.
  router.use((err: unknown, req: PageReq, res: Response, next: NextFunction) => {
    if (res.headersSent || !(err instanceof HttpError)) return next(err);
    res.status(err.status).type('html').send(templates.render('pages/error', { title: 'Błąd', message: err.message, me: req.principal && { login: req.principal.login, roles: '' }, csrf: req.principal?.csrfToken }));
  });

  return router;
}
