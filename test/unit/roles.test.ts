import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ADMINISTRATOR_ROLES,
  CAMPAIGN_WATCHER_ROLES,
  isAdministratorRole,
  isRole,
  ROLE_CATALOGUE,
  roleLabel,
  ROLES,
  roleScope,
  roleSql,
  rolesSql,
  rolesWhere,
  type Role,
} from '../../domain/roles';
import { canActOnTask, canOnCase, GRANTS, visibleVoivodeships, type Assignment, type Principal } from '../../api/access';

const principal = (a: Assignment): Principal => ({ accountId: 'id-x', login: 'x', assignments: [a], mustChangePassword: false, via: 'token' });
// One assignment of each role in voivodeship 26, unit 2661011, area PS (what its scope kind uses of it).
const assignmentOf = (role: Role): Assignment => ({
  role,
  voivodeship: roleScope(role) === 'country' ? null : '26',
  unitCode: ['unit', 'unit-area'].includes(roleScope(role)) ? '2661011' : null,
  area: roleScope(role) === 'unit-area' ? 'PS' : null,
});

describe('the role catalogue', () => {
  test('lists the five roles of seed 000 in order of scope', () => {
    expect(ROLES).toEqual(['ministry', 'voivodeship_admin', 'unit_head', 'local_admin', 'staff']);
    expect(ROLES.map(roleScope)).toEqual(['country', 'voivodeship', 'unit', 'unit', 'unit-area']);
  });

  test.each(ROLES)('%s has a Polish label and a scope kind', (role) => {
    expect(roleLabel(role)).toMatch(/^[a-ząćęłńóśźż ]+$/);
    expect(roleLabel(role)).not.toContain('_');
    expect(['country', 'voivodeship', 'unit', 'unit-area']).toContain(roleScope(role));
  });

  test('labels are the ones the pages showed', () => {
    expect(Object.fromEntries(ROLES.map((r) => [r, roleLabel(r)]))).toEqual({
      ministry: 'ministerstwo',
      voivodeship_admin: 'administrator wojewódzki',
      unit_head: 'kierownik jednostki',
      local_admin: 'administrator lokalny',
      staff: 'pracownik',
    });
    expect(roleLabel('retired_role')).toBe('retired_role');
  });

  test('administrators are the ministry and the voivodeship administrators, not the local administrator', () => {
    expect(ADMINISTRATOR_ROLES).toEqual(['ministry', 'voivodeship_admin']);
    expect(CAMPAIGN_WATCHER_ROLES).toEqual(['ministry', 'voivodeship_admin']);
    expect(isAdministratorRole('local_admin')).toBe(false);
    expect(isAdministratorRole('nobody')).toBe(false);
  });

  test('type guard', () => {
    expect(ROLES.every(isRole)).toBe(true);
    for (const v of ['', 'Ministry', 'admin', 'toString', '__proto__', null, 3]) expect(isRole(v)).toBe(false);
  });

  test('every SQL role list is the catalogue predicate, quoted', () => {
    const predicates = [(d: { administrator: boolean }) => d.administrator, (d: { watchesCampaigns: boolean }) => d.watchesCampaigns, () => true, () => false];
    for (const p of predicates) {
      const roles = rolesWhere(p);
      const sql = rolesSql(p);
      expect(sql).toBe(roles.length ? `(${roles.map((r) => `'${r}'`).join(',')})` : '(null)');
      // Parse it back: exactly the catalogue's roles, nothing else between the quotes.
      const listed = roles.length ? sql.slice(1, -1).split(',').map((s) => s.replace(/^'(.*)'$/, '$1')) : [];
      expect(listed).toEqual(ROLES.filter((r) => p(ROLE_CATALOGUE[r])));
    }
    expect(rolesSql((d) => d.administrator)).toBe("('ministry','voivodeship_admin')");
    expect(rolesSql(['unit_head', 'staff'])).toBe("('unit_head','staff')");
    expect(() => roleSql("x') or true --" as Role)).toThrow(/unknown role/);
  });

  test('no role name is typed into SQL in activities/ or db/queries/', () => {
    const files = ['cases', 'csizs', 'data-requests', 'identity-merge', 'mail', 'permissions', 'reports', 'accounts', 'documents'].map((f) => join('activities', `${f}.ts`));
    files.push(join('db', 'queries', 'accounts.ts'), join('db', 'queries', 'tasks.ts'));
    for (const f of files) {
      const text = readFileSync(join(__dirname, '..', '..', f), 'utf8');
      for (const r of ROLES) expect({ f, quoted: new RegExp(`role\\s*(=|in)\\s*\\(?\\s*'${r}'`).test(text) }).toEqual({ f, quoted: false });
    }
  });
});

describe('api/access.ts agrees with the catalogue', () => {
  test('the access matrix test names every role of the catalogue', () => {
    const matrix = readFileSync(join(__dirname, '..', 'api', 'access-matrix.test.ts'), 'utf8');
    const declared = /const ROLES = \[([^\]]*)\]/.exec(matrix)![1];
    for (const r of ROLES) expect(declared).toContain(`'${r}'`);
  });

  test('every granted role is a catalogue role', () => {
    for (const roles of Object.values(GRANTS)) for (const r of roles) expect(isRole(r)).toBe(true);
  });

  test.each(ROLES)('%s sees cases, and acts on tasks, as far as its scope kind reaches', (role) => {
    const p = principal(assignmentOf(role));
    const scope = roleScope(role);
    const own = { voivodeship: '26', unitCode: '2661011', data: { area: 'PS' } };
    const otherUnit = { voivodeship: '26', unitCode: '2661022' };
    const otherVoivodeship = { voivodeship: '12', unitCode: '1261011' };
    expect(canOnCase(p, 'view', own)).toBe(true);
    expect(canOnCase(p, 'view', otherUnit)).toBe(scope === 'country' || scope === 'voivodeship');
    expect(canOnCase(p, 'view', otherVoivodeship)).toBe(scope === 'country');
    expect(visibleVoivodeships(p)).toEqual(scope === 'country' ? null : ['26']);
    expect(canActOnTask(p, { role, voivodeship: '12', unitCode: '1261011' })).toBe(scope === 'country');
    expect(canActOnTask(p, { role, voivodeship: '26', unitCode: '2661022' })).toBe(scope === 'country' || scope === 'voivodeship');
    if (scope === 'unit-area') expect(canOnCase(p, 'view', { ...own, data: { area: 'OS' } })).toBe(false);
  });
});
