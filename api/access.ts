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
}

export type CaseAction = 'view' | 'upload-scan';

const inUnit = (a: Assignment, c: CaseScope) => a.unitCode !== null && (c.unitCode === a.unitCode || c.unitCode.startsWith(a.unitCode));

export function canOnCase(p: Principal, action: CaseAction, c: CaseScope): boolean {
  return p.assignments.some((a) => {
    switch (action) {
      case 'view':
        return a.role === 'ministry' || (a.role === 'voivodeship_admin' && a.voivodeship === c.voivodeship) || inUnit(a, c);
      case 'upload-scan':
        // seed 000: the signed scan reaches the voivodeship office by ePUAP or e-mail; its staff file it.
        return a.role === 'voivodeship_admin' && a.voivodeship === c.voivodeship;
    }
  });
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
