import type { Role } from '../db/entities';
import { HttpError } from './errors';

// Who may do what, decided here and nowhere else: from role and scope (seed 000: a voivodeship
// administrator acts for units of their own voivodeship only; the ministry sees everything).

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

const inUnit = (a: Assignment, c: CaseScope) => a.unitCode !== null && (c.unitCode === a.unitCode || c.unitCode.startsWith(a.unitCode));

/** The reporting areas a case concerns, when it concerns some (a registration names them). */
function caseAreas(c: CaseScope): string[] | null {
  const application = c.data?.application as { areas?: unknown } | undefined;
  if (Array.isArray(application?.areas)) return application.areas as string[];
  return typeof c.data?.area === 'string' ? [c.data.area] : null;
}

// Staff are authorised per reporting area: they see their unit's cases in their areas only.
const inArea = (a: Assignment, c: CaseScope) => a.role !== 'staff' || !a.area || !caseAreas(c) || caseAreas(c)!.includes(a.area);

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
        return a.role === 'ministry' || (a.role === 'voivodeship_admin' && a.voivodeship === c.voivodeship) || (!c.accountId && inUnit(a, c) && inArea(a, c));
      case 'upload-scan':
        // seed 000: the signed scan reaches the voivodeship office by ePUAP or e-mail; its staff file it.
        return a.role === 'voivodeship_admin' && a.voivodeship === c.voivodeship;
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
      (t.voivodeship === null || a.role === 'ministry' || a.voivodeship === t.voivodeship) &&
      (t.unitCode === null || a.role === 'voivodeship_admin' || a.role === 'ministry' || a.unitCode === t.unitCode),
  );
}

/** SQL-free scope filter for listings: which voivodeships (null = all) a principal may see. */
export function visibleVoivodeships(p: Principal): string[] | null {
  if (p.assignments.some((a) => a.role === 'ministry')) return null;
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
  if (p.assignments.some((a) => a.role === 'ministry')) return { voivodeships: null, others: [] };
  const voivodeships: string[] = [];
  // An identity merge's second account (mergedAccountOf); the type test lets its partial index serve it.
  const others = [
    { sql: 'c.account_id = ?', params: [p.accountId] as unknown[] },
    { sql: "(c.type = 'identity-merge' and c.data->>'otherAccountId' = ?)", params: [p.accountId] },
  ];
  for (const a of p.assignments) {
    if (a.role === 'voivodeship_admin' && a.voivodeship) {
      if (!voivodeships.includes(a.voivodeship)) voivodeships.push(a.voivodeship);
    } else if (a.unitCode) {
      const area = a.role === 'staff' && a.area ? ` and (jsonb_typeof(c.data->'application'->'areas') is distinct from 'array' or jsonb_exists(c.data->'application'->'areas', ?))` : '';
      others.push({ sql: `(c.account_id is null and c.unit_code like ?${area})`, params: [`${a.unitCode}%`, ...(area ? [a.area] : [])] });
    }
  }
  return { voivodeships, others };
}

// ---- Reports (process 3) ----

/** seed 001: the ministry sets campaigns, their deadlines and the reporting calendar. */
export const canManageReporting = (p: Principal): boolean => p.assignments.some((a) => a.role === 'ministry');

/**
 * seed 002 §I.4-5, §II.1-3: a report is drafted and submitted by the unit's staff authorised for its area,
 * or by the head (who also stands in when the designated people are absent); nobody outside the unit.
 */
export function canEditReport(p: Principal, r: { unitCode: string; area: string }): boolean {
  return p.assignments.some(
    (a) => a.unitCode === r.unitCode && (a.role === 'unit_head' || (a.role === 'staff' && (!a.area || a.area === r.area))),
  );
}

/** seed 002: the unit's head designates the responsible person and the substitute of its reports. */
export const canDesignateReportPeople = (p: Principal, r: { unitCode: string }): boolean =>
  p.assignments.some((a) => a.role === 'unit_head' && a.unitCode === r.unitCode);

/** The head, or the responsible person themselves, reports their absence (and their return). */
export const canMarkReportAbsence = (p: Principal, r: { unitCode: string; responsible: string | null }): boolean =>
  canDesignateReportPeople(p, r) || (r.responsible !== null && r.responsible === p.login);

/** Roll-up scope: the ministry sees the country (null), a voivodeship administrator their voivodeship(s). */
export function rollupVoivodeships(p: Principal): string[] | null {
  if (canManageReporting(p)) return null;
  const own = p.assignments.filter((a) => a.role === 'voivodeship_admin' && a.voivodeship).map((a) => a.voivodeship!);
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
  return p.assignments.some((a) => {
    switch (action) {
      case 'manage-campaign':
      case 'phone':
        return a.role === 'ministry';
      case 'voivodeship-step':
        return a.role === 'voivodeship_admin' && !!unit && a.voivodeship === unit.voivodeship;
      case 'unit-step':
        return (a.role === 'unit_head' || a.role === 'local_admin') && !!unit && a.unitCode === unit.unitCode;
      // pkt 2: the voivodeship asks the head (Kierownik JT) to explain the notification's data.
      case 'unit-head':
        return a.role === 'unit_head' && !!unit && a.unitCode === unit.unitCode;
      // The unit's documents: the unit, its voivodeship administrator, the ministry.
      case 'view-unit':
        return (
          a.role === 'ministry' ||
          (a.role === 'voivodeship_admin' && !!unit && a.voivodeship === unit.voivodeship) ||
          ((a.role === 'unit_head' || a.role === 'local_admin') && !!unit && a.unitCode === unit.unitCode)
        );
    }
  });
}
