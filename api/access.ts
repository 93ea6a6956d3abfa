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
