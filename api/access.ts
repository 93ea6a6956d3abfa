import { roleScope, type Role } from '../domain/roles';
import { HttpError } from './errors';

// Who may do what, decided here and nowhere else: from role and scope (seed 000: a voivodeship
// administrator acts for units of their own voivodeship only; the ministry sees everything). What a
// role's scope is comes from the role catalogue (domain/roles.ts); which roles may take an action that
// not every role may take is written in GRANTS below. A new role is a catalogue entry plus its GRANTS.

export interface Assignment {
  role: Role;
  voivodeship: string | null;
  unitCode: string | null;
  area: string | null;
}

export interface Principal {
  accountId: string;
  login: string;
  assignments: Assignment[];
  /** A temporary or expired password: nothing but changing it (and signing out) is allowed. */
  mustChangePassword: boolean;
  via: 'session' | 'token';
  sessionId?: string;
  csrfToken?: string;
}

export interface CaseScope {
  voivodeship: string;
  unitCode: string;
  /** Set on a case about one account (a permission request): that account's own case. */
  accountId?: string | null;
  /** With data: an identity merge's second account is data.otherAccountId (the survivor is accountId). */
  type?: string;
  data?: Record<string, unknown>;
}

export type CaseAction = 'view' | 'upload-scan' | 'confirm-merge';

/**
 * The roles that may take each action not every role may take, always within their own scope (inScope).
 * Seeing cases, and acting on a task offered to one's role, need no grant: they follow from the scope.
 */
export const GRANTS = {
  // seed 000: the signed scan reaches the voivodeship office by ePUAP or e-mail; its staff file it.
  'upload-scan': ['voivodeship_admin'],
  // seed 001: the ministry sets campaigns, their deadlines and the reporting calendar.
  'manage-reporting': ['ministry'],
  // seeds 000/004: the register of voivodeship offices (ePUAP box, mailbox, administrators' addresses).
  'manage-offices': ['ministry'],
  // A voivodeship's roll-up of a campaign (the ministry sees every roll-up through manage-reporting).
  'view-rollup': ['voivodeship_admin'],
  // seed 002: the unit's staff authorised for the report's area, or its head, draft and submit it.
  'edit-report': ['unit_head', 'staff'],
  // seed 002: the head designates the responsible person and the substitute.
  'designate-report-people': ['unit_head'],
  // seed 004 pkt 2b and 9: the local administrator grants and revokes reporting areas and PIU roles to
  // the staff of their own unit.
  'manage-unit-people': ['local_admin'],
  // seed 004, the CSIZS connection campaign (canOnCsizs).
  'csizs:manage-campaign': ['ministry'],
  'csizs:phone': ['ministry'],
  'csizs:voivodeship-step': ['voivodeship_admin'],
  'csizs:unit-step': ['unit_head', 'local_admin'],
  'csizs:unit-head': ['unit_head'],
  'csizs:view-unit': ['ministry', 'voivodeship_admin', 'unit_head', 'local_admin'],
  // The remote codec (/codec/decode, /codec/encode) unseals any workflow's payloads: a payload names no case,
  // so only a role that may read every case's data may use it.
  codec: ['ministry'],
} as const satisfies Record<string, readonly Role[]>;
export type GrantedAction = keyof typeof GRANTS;

const granted = (a: Assignment, action: GrantedAction): boolean => (GRANTS[action] as readonly Role[]).includes(a.role);

/**
 * Whether a thing of this voivodeship / unit / reporting area lies in the assignment's scope, by the
 * role's scope kind: the country holds everything; a voivodeship its own; a unit its own (exactly); a
 * unit and area its own unit, and the area too when both name one. No target: only the country.
 */
function inScope(a: Assignment, target: { voivodeship?: string; unitCode?: string; area?: string } | undefined): boolean {
  switch (roleScope(a.role)) {
    case 'country':
      return true;
    case 'voivodeship':
      return !!target && target.voivodeship !== undefined && a.voivodeship === target.voivodeship;
    case 'unit':
      return !!target && target.unitCode !== undefined && a.unitCode === target.unitCode;
    case 'unit-area':
      return !!target && target.unitCode !== undefined && a.unitCode === target.unitCode && (!a.area || target.area === undefined || a.area === target.area);
  }
}

const countryWide = (a: Assignment) => roleScope(a.role) === 'country';
const voivodeshipWide = (a: Assignment) => roleScope(a.role) === 'voivodeship';

const inUnit = (a: Assignment, c: CaseScope) => a.unitCode !== null && (c.unitCode === a.unitCode || c.unitCode.startsWith(a.unitCode));

/** The reporting areas a case concerns, when it concerns some (a registration names them). */
function caseAreas(c: CaseScope): string[] | null {
  const application = c.data?.application as { areas?: unknown } | undefined;
  if (Array.isArray(application?.areas)) return application.areas as string[];
  return typeof c.data?.area === 'string' ? [c.data.area] : null;
}

// Staff are authorised per reporting area: they see their unit's cases in their areas only.
const inArea = (a: Assignment, c: CaseScope) => roleScope(a.role) !== 'unit-area' || !a.area || !caseAreas(c) || caseAreas(c)!.includes(a.area);

export function canOnCase(p: Principal, action: CaseAction, c: CaseScope): boolean {
  // seed 000: the requester follows their own permission request, whatever roles they hold. Such a case
  // is personal: the unit's other staff do not see it, only the voivodeship and the ministry.
  const ownCase = !!c.accountId && c.accountId === p.accountId;
  if (action === 'view' && ownCase) return true;
  // Identity merge: both accounts follow the case; only the account being merged confirms it, as itself.
  if (action === 'confirm-merge') return mergedAccountOf(c) === p.accountId;
  if (action === 'view' && isCaseParty(p, c)) return true;
  return p.assignments.some((a) => {
    switch (action) {
      case 'view':
        return countryWide(a) || (voivodeshipWide(a) && a.voivodeship === c.voivodeship) || (!c.accountId && inUnit(a, c) && inArea(a, c));
      case 'upload-scan':
        return granted(a, 'upload-scan') && inScope(a, c);
    }
  });
}

const mergedAccountOf = (c: CaseScope): string | null =>
  c.type === 'identity-merge' && typeof c.data?.otherAccountId === 'string' ? c.data.otherAccountId : null;

/** The accounts a case is about: they follow it whatever their roles, and never decide it themselves. */
export function isCaseParty(p: Principal, c: CaseScope): boolean {
  return (!!c.accountId && c.accountId === p.accountId) || mergedAccountOf(c) === p.accountId;
}

export interface TaskScope {
  role: Role;
  voivodeship: string | null;
  unitCode: string | null;
}

export function canActOnTask(p: Principal, t: TaskScope): boolean {
  return p.assignments.some(
    (a) =>
      a.role === t.role &&
      (t.voivodeship === null || countryWide(a) || a.voivodeship === t.voivodeship) &&
      (t.unitCode === null || voivodeshipWide(a) || countryWide(a) || a.unitCode === t.unitCode),
  );
}

/** SQL-free scope filter for listings: which voivodeships (null = all) a principal may see. */
export function visibleVoivodeships(p: Principal): string[] | null {
  if (p.assignments.some(countryWide)) return null;
  return [...new Set(p.assignments.map((a) => a.voivodeship).filter((v): v is string => !!v))];
}

export function forbid(): never {
  throw new HttpError(403, 'FORBIDDEN', 'Brak uprawnień do tej operacji w tym zakresie (rola lub województwo/jednostka)');
}

/**
 * The same visibility as canOnCase, as an SQL condition over `cases c`, for lists and counts.
 * Kept beside canOnCase so the two are read and changed together.
 */
export function caseVisibilitySql(p: Principal): { sql: string; params: unknown[] } {
  const v = caseVisibilityParts(p);
  if (v.voivodeships === null) return { sql: 'true', params: [] };
  const parts = [...v.voivodeships.map(() => 'c.voivodeship = ?'), ...v.others.map((o) => o.sql)];
  return { sql: `(${parts.join(' or ')})`, params: [...v.voivodeships, ...v.others.flatMap((o) => o.params)] };
}

/**
 * Visibility in two parts: whole voivodeships (null: the whole country), which counts can take from the
 * case_counts summary, and the other visible cases as SQL conditions over `cases c` (own cases, units).
 */
export function caseVisibilityParts(p: Principal): { voivodeships: string[] | null; others: { sql: string; params: unknown[] }[] } {
  if (p.assignments.some(countryWide)) return { voivodeships: null, others: [] };
  const voivodeships: string[] = [];
  // An identity merge's second account (mergedAccountOf); the type test lets its partial index serve it.
  const others = [
    { sql: 'c.account_id = ?', params: [p.accountId] as unknown[] },
    { sql: "(c.type = 'identity-merge' and c.data->>'otherAccountId' = ?)", params: [p.accountId] },
  ];
  for (const a of p.assignments) {
    if (voivodeshipWide(a) && a.voivodeship) {
      if (!voivodeships.includes(a.voivodeship)) voivodeships.push(a.voivodeship);
    } else if (a.unitCode) {
      const area = roleScope(a.role) === 'unit-area' && a.area ? ` and (jsonb_typeof(c.data->'application'->'areas') is distinct from 'array' or jsonb_exists(c.data->'application'->'areas', ?))` : '';
      others.push({ sql: `(c.account_id is null and c.unit_code like ?${area})`, params: [`${a.unitCode}%`, ...(area ? [a.area] : [])] });
    }
  }
  return { voivodeships, others };
}

/** The Temporal UI's and CLI's remote codec: every case's data, so the country's scope only. */
export const canUsePayloadCodec = (p: Principal): boolean => p.assignments.some((a) => granted(a, 'codec') && inScope(a, undefined));

// ---- Reports (process 3) ----

/** seed 001: the ministry sets campaigns, their deadlines and the reporting calendar. */
export const canManageOffices = (p: Principal): boolean => p.assignments.some((a) => granted(a, 'manage-offices') && inScope(a, undefined));
export const canManageReporting = (p: Principal): boolean => p.assignments.some((a) => granted(a, 'manage-reporting') && inScope(a, undefined));

/**
 * seed 002 §I.4-5, §II.1-3: a report is drafted and submitted by the unit's staff authorised for its area,
 * or by the head (who also stands in when the designated people are absent); nobody outside the unit.
 */
export function canEditReport(p: Principal, r: { unitCode: string; area: string }): boolean {
  return p.assignments.some((a) => granted(a, 'edit-report') && inScope(a, r));
}

/** seed 002: the unit's head designates the responsible person and the substitute of its reports. */
export const canDesignateReportPeople = (p: Principal, r: { unitCode: string }): boolean =>
  p.assignments.some((a) => granted(a, 'designate-report-people') && inScope(a, r));

/** seed 004 pkt 2b, 9: the unit's local administrator manages its staff's areas and PIU roles, in that unit only. */
export const canManageUnitPeople = (p: Principal, unitCode: string): boolean =>
  p.assignments.some((a) => granted(a, 'manage-unit-people') && inScope(a, { unitCode }));

/** The head, or the responsible person themselves, reports their absence (and their return). */
export const canMarkReportAbsence = (p: Principal, r: { unitCode: string; responsible: string | null }): boolean =>
  canDesignateReportPeople(p, r) || (r.responsible !== null && r.responsible === p.login);

/** Roll-up scope: the ministry sees the country (null), a voivodeship administrator their voivodeship(s). */
export function rollupVoivodeships(p: Principal): string[] | null {
  if (canManageReporting(p)) return null;
  const own = p.assignments.filter((a) => granted(a, 'view-rollup') && a.voivodeship).map((a) => a.voivodeship!);
  if (own.length === 0) forbid();
  return [...new Set(own)];
}

/**
 * seed 004, CSIZS connection campaign: the ministry runs the campaign, its phone checkpoints and the
 * escalation to mayors; the voivodeship administrator accepts the connection notification and sends the
 * information package for units of their voivodeship; the unit's head or local administrator reports
 * the unit's own steps.
 */
export type CsizsAction = 'manage-campaign' | 'phone' | 'voivodeship-step' | 'unit-step' | 'unit-head' | 'view-unit';

export function canOnCsizs(p: Principal, action: CsizsAction, unit?: { voivodeship: string; unitCode: string }): boolean {
  // pkt 2 (unit-head): the voivodeship asks the head (Kierownik JT) to explain the notification's data.
  // view-unit: the unit's documents, for the unit, its voivodeship administrator and the ministry.
  return p.assignments.some((a) => granted(a, `csizs:${action}`) && inScope(a, unit));
}
