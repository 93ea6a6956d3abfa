// The role catalogue: every role an account can be assigned, its scope, its Polish label and what kind
// of role it is. Access rules (api/access.ts), SQL role conditions (db/queries), the operator CLI and
// page labels all read from here; adding a role starts with one entry below. Pure: no imports.

/**
 * Where a role assignment applies (seed 000):
 * - `country`: the whole country (no voivodeship, no unit);
 * - `voivodeship`: one voivodeship (`role_assignments.voivodeship`);
 * - `unit`: one unit (`unit_code`, its sub-units by prefix where cases are concerned);
 * - `unit-area`: one unit and, when set, one reporting area (`area`).
 */
export type ScopeKind = 'country' | 'voivodeship' | 'unit' | 'unit-area';

export interface RoleDefinition {
  /** Polish label shown on pages (lower case, as in a sentence). */
  readonly label: string;
  readonly scope: ScopeKind;
  /**
   * An administrator oversees cases of many units: bulk actions, every case and task of its scope.
   * `local_admin` is not one, whatever its name: it acts for its own unit only.
   */
  readonly administrator: boolean;
  /** Sees the report campaigns' progress (the campaign panel on the home page). */
  readonly watchesCampaigns: boolean;
}

/** The catalogue, in order of scope from the widest. */
export const ROLE_CATALOGUE = {
  ministry: { label: 'ministerstwo', scope: 'country', administrator: true, watchesCampaigns: true },
  voivodeship_admin: { label: 'administrator wojewódzki', scope: 'voivodeship', administrator: true, watchesCampaigns: true },
  unit_head: { label: 'kierownik jednostki', scope: 'unit', administrator: false, watchesCampaigns: false },
  local_admin: { label: 'administrator lokalny', scope: 'unit', administrator: false, watchesCampaigns: false },
  staff: { label: 'pracownik', scope: 'unit-area', administrator: false, watchesCampaigns: false },
} as const satisfies Record<string, RoleDefinition>;

export type Role = keyof typeof ROLE_CATALOGUE;

/** Every role, in catalogue order. */
export const ROLES: readonly Role[] = Object.freeze(Object.keys(ROLE_CATALOGUE) as Role[]);

// Role names go into SQL as literals (rolesSql): only lower-case letters and underscores are allowed.
for (const r of ROLES) if (!/^[a-z_]+$/.test(r)) throw new Error(`role name ${r} is not a safe identifier`);

export const isRole = (value: unknown): value is Role => typeof value === 'string' && Object.prototype.hasOwnProperty.call(ROLE_CATALOGUE, value);

export function roleDefinition(role: Role): RoleDefinition {
  return ROLE_CATALOGUE[role];
}

/** The Polish label; an unknown string (a role since removed, stored in history) is shown as it is. */
export const roleLabel = (role: string): string => (isRole(role) ? ROLE_CATALOGUE[role].label : role);

export const roleScope = (role: Role): ScopeKind => ROLE_CATALOGUE[role].scope;

export const isAdministratorRole = (role: string): boolean => isRole(role) && ROLE_CATALOGUE[role].administrator;

export const watchesCampaignsRole = (role: string): boolean => isRole(role) && ROLE_CATALOGUE[role].watchesCampaigns;

/** The roles whose definition satisfies the predicate, in catalogue order. */
export const rolesWhere = (predicate: (definition: RoleDefinition, role: Role) => boolean): Role[] =>
  ROLES.filter((r) => predicate(ROLE_CATALOGUE[r], r));

export const ADMINISTRATOR_ROLES: readonly Role[] = Object.freeze(rolesWhere((d) => d.administrator));
export const CAMPAIGN_WATCHER_ROLES: readonly Role[] = Object.freeze(rolesWhere((d) => d.watchesCampaigns));

/** One role as an SQL string literal, e.g. `'voivodeship_admin'` (names are checked to be safe above). */
export function roleSql(role: Role): string {
  if (!isRole(role)) throw new Error(`unknown role ${String(role)}`);
  return `'${role}'`;
}

/**
 * A role list as an SQL literal list for `in`, from the catalogue: `rolesSql((r) => r.administrator)`
 * gives `('ministry','voivodeship_admin')`. Literals rather than bind parameters keep statement texts
 * constant, so prepared statements are reused. An empty selection gives `(null)`, which matches nothing.
 */
export function rolesSql(selection: ((definition: RoleDefinition, role: Role) => boolean) | readonly Role[]): string {
  const roles = typeof selection === 'function' ? rolesWhere(selection) : selection;
  return roles.length ? `(${roles.map(roleSql).join(',')})` : '(null)';
}
