import {
  canActOnTask,
  canOnCase,
  forbid,
  visibleVoivodeships,
  type Assignment,
  type CaseAction,
  type CaseScope,
  type Principal,
  type TaskScope,
} from '../../api/access';
import { HttpError } from '../../api/errors';

const principal = (login: string, ...assignments: Assignment[]): Principal => ({ accountId: `id-${login}`, login, assignments, mustChangePassword: false, via: 'token' });
const assignment = (a: Partial<Assignment> & Pick<Assignment, 'role'>): Assignment => ({ voivodeship: null, unitCode: null, area: null, ...a });

const PRINCIPALS = {
  ministry: principal('ministerstwo', assignment({ role: 'ministry' })),
  'admin-26': principal('adm-woj-26', assignment({ role: 'voivodeship_admin', voivodeship: '26' })),
  'admin-12': principal('adm-woj-12', assignment({ role: 'voivodeship_admin', voivodeship: '12' })),
  'staff-2661011-PS': principal('lzolkiewska', assignment({ role: 'staff', voivodeship: '26', unitCode: '2661011', area: 'PS' })),
  nobody: principal('bez-rol'),
};
type Who = keyof typeof PRINCIPALS;

// The case of the registration walk: MOPR Kielce, gmina 2661011 in Świętokrzyskie (26).
const CASE: CaseScope = { voivodeship: '26', unitCode: '2661011' };

describe('canOnCase — case in voivodeship 26, unit 2661011', () => {
  const table: [Who, CaseAction, boolean][] = [
    ['ministry', 'view', true],
    ['ministry', 'upload-scan', false], // scans are filed by the voivodeship office
    ['admin-26', 'view', true],
    ['admin-26', 'upload-scan', true],
    ['admin-12', 'view', false],
    ['admin-12', 'upload-scan', false],
    ['staff-2661011-PS', 'view', true],
    ['staff-2661011-PS', 'upload-scan', false],
    ['nobody', 'view', false],
    ['nobody', 'upload-scan', false],
  ];

  it('covers every principal × action', () => {
    const actions: CaseAction[] = ['view', 'upload-scan'];
    expect(table.map(([w, a]) => `${w}/${a}`).sort()).toEqual(
      (Object.keys(PRINCIPALS) as Who[]).flatMap((w) => actions.map((a) => `${w}/${a}`)).sort(),
    );
  });

  it.each(table)('%s may %s: %s', (who, action, allowed) => {
    expect(canOnCase(PRINCIPALS[who], action, CASE)).toBe(allowed);
  });
});

describe('canOnCase — other cases', () => {
  const table: [string, Who, CaseScope, CaseAction, boolean][] = [
    ['staff may not view a case of another gmina in the same voivodeship', 'staff-2661011-PS', { voivodeship: '26', unitCode: '2604011' }, 'view', false],
    ['staff may not view a case of the neighbouring gmina code', 'staff-2661011-PS', { voivodeship: '26', unitCode: '2661012' }, 'view', false],
    ['staff may not view a case in another voivodeship', 'staff-2661011-PS', { voivodeship: '12', unitCode: '1261011' }, 'view', false],
    ['admin-12 views a case in 12', 'admin-12', { voivodeship: '12', unitCode: '1261011' }, 'view', true],
    ['admin-12 files a scan in 12', 'admin-12', { voivodeship: '12', unitCode: '1261011' }, 'upload-scan', true],
    ['admin-26 may not view a case in 12', 'admin-26', { voivodeship: '12', unitCode: '1261011' }, 'view', false],
    ['admin-26 may not file a scan in 12', 'admin-26', { voivodeship: '12', unitCode: '1261011' }, 'upload-scan', false],
    ['ministry views a case anywhere', 'ministry', { voivodeship: '32', unitCode: '3262011' }, 'view', true],
  ];

  it.each(table)('%s', (_title, who, scope, action, allowed) => {
    expect(canOnCase(PRINCIPALS[who], action, scope)).toBe(allowed);
  });

  it('a powiat-level assignment covers the gminas of that powiat only', () => {
    const powiatStaff = principal('powiat', assignment({ role: 'staff', voivodeship: '26', unitCode: '2661' }));
    expect(canOnCase(powiatStaff, 'view', CASE)).toBe(true);
    expect(canOnCase(powiatStaff, 'view', { voivodeship: '26', unitCode: '2604011' })).toBe(false);
  });

  it('one matching assignment among several is enough, and one never widens another', () => {
    const both = principal('dual', PRINCIPALS['admin-12'].assignments[0], PRINCIPALS['staff-2661011-PS'].assignments[0]);
    expect(canOnCase(both, 'view', CASE)).toBe(true); // through the staff assignment
    expect(canOnCase(both, 'upload-scan', CASE)).toBe(false); // admin of 12 does not file scans in 26
    expect(canOnCase(both, 'upload-scan', { voivodeship: '12', unitCode: '1261011' })).toBe(true);
  });
});

describe('canActOnTask', () => {
  // The registration decision task opened by the workflow, plus tasks for the other roles.
  const TASKS: Record<string, TaskScope> = {
    'decision 26/2661011 (voivodeship_admin)': { role: 'voivodeship_admin', voivodeship: '26', unitCode: '2661011' },
    'voivodeship_admin task in 12': { role: 'voivodeship_admin', voivodeship: '12', unitCode: '1261011' },
    'staff task of 2661011': { role: 'staff', voivodeship: '26', unitCode: '2661011' },
    'staff task of 2604011': { role: 'staff', voivodeship: '26', unitCode: '2604011' },
    'ministry task': { role: 'ministry', voivodeship: null, unitCode: null },
    'ministry task about 26': { role: 'ministry', voivodeship: '26', unitCode: '2661011' },
  };
  type Task = keyof typeof TASKS;

  const table: [Who, Task, boolean][] = [
    ['ministry', 'decision 26/2661011 (voivodeship_admin)', false], // a role of its own, not a superuser
    ['ministry', 'voivodeship_admin task in 12', false],
    ['ministry', 'staff task of 2661011', false],
    ['ministry', 'staff task of 2604011', false],
    ['ministry', 'ministry task', true],
    ['ministry', 'ministry task about 26', true],
    ['admin-26', 'decision 26/2661011 (voivodeship_admin)', true],
    ['admin-26', 'voivodeship_admin task in 12', false],
    ['admin-26', 'staff task of 2661011', false],
    ['admin-26', 'staff task of 2604011', false],
    ['admin-26', 'ministry task', false],
    ['admin-26', 'ministry task about 26', false],
    ['admin-12', 'decision 26/2661011 (voivodeship_admin)', false],
    ['admin-12', 'voivodeship_admin task in 12', true],
    ['admin-12', 'staff task of 2661011', false],
    ['admin-12', 'staff task of 2604011', false],
    ['admin-12', 'ministry task', false],
    ['admin-12', 'ministry task about 26', false],
    ['staff-2661011-PS', 'decision 26/2661011 (voivodeship_admin)', false],
    ['staff-2661011-PS', 'voivodeship_admin task in 12', false],
    ['staff-2661011-PS', 'staff task of 2661011', true],
    ['staff-2661011-PS', 'staff task of 2604011', false],
    ['staff-2661011-PS', 'ministry task', false],
    ['staff-2661011-PS', 'ministry task about 26', false],
    ['nobody', 'decision 26/2661011 (voivodeship_admin)', false],
    ['nobody', 'voivodeship_admin task in 12', false],
    ['nobody', 'staff task of 2661011', false],
    ['nobody', 'staff task of 2604011', false],
    ['nobody', 'ministry task', false],
    ['nobody', 'ministry task about 26', false],
  ];

  it('covers every principal × task', () => {
    expect(table.map(([w, t]) => `${w}/${t}`).sort()).toEqual(
      (Object.keys(PRINCIPALS) as Who[]).flatMap((w) => Object.keys(TASKS).map((t) => `${w}/${t}`)).sort(),
    );
  });

  it.each(table)('%s on "%s": %s', (who, task, allowed) => {
    expect(canActOnTask(PRINCIPALS[who], TASKS[task])).toBe(allowed);
  });

  it('a voivodeship_admin task without a voivodeship is open to every voivodeship admin', () => {
    const anyVoivodeship: TaskScope = { role: 'voivodeship_admin', voivodeship: null, unitCode: null };
    expect(canActOnTask(PRINCIPALS['admin-26'], anyVoivodeship)).toBe(true);
    expect(canActOnTask(PRINCIPALS['admin-12'], anyVoivodeship)).toBe(true);
    expect(canActOnTask(PRINCIPALS['staff-2661011-PS'], anyVoivodeship)).toBe(false);
  });
});

describe('visibleVoivodeships', () => {
  it.each([
    ['ministry', null],
    ['admin-26', ['26']],
    ['admin-12', ['12']],
    ['staff-2661011-PS', ['26']],
    ['nobody', []],
  ] as [Who, string[] | null][])('%s → %p', (who, expected) => {
    expect(visibleVoivodeships(PRINCIPALS[who])).toEqual(expected);
  });

  it('unions and de-duplicates several assignments', () => {
    const p = principal(
      'multi',
      assignment({ role: 'voivodeship_admin', voivodeship: '26' }),
      assignment({ role: 'staff', voivodeship: '26', unitCode: '2661011', area: 'SR' }),
      assignment({ role: 'voivodeship_admin', voivodeship: '12' }),
      assignment({ role: 'staff', voivodeship: null, unitCode: '2661011' }),
    );
    expect(visibleVoivodeships(p)!.sort()).toEqual(['12', '26']);
  });

  it('any ministry assignment means everything', () => {
    const p = principal('mixed', assignment({ role: 'voivodeship_admin', voivodeship: '26' }), assignment({ role: 'ministry' }));
    expect(visibleVoivodeships(p)).toBeNull();
  });
});

describe('forbid', () => {
  it('throws a 403 with a Polish message', () => {
    expect.assertions(3);
    try {
      forbid();
    } catch (err) {
      expect(err).toBeInstanceOf(HttpError);
      expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
      expect((err as Error).message).toMatch(/Brak uprawnień/);
    }
  });
});

describe('canOnCase — a case about one account (permission request)', () => {
  // lzolkiewska (staff of 2661011, PS) asks for SR in the same unit; another staff member of that unit
  // is not party to it.
  const requester = PRINCIPALS['staff-2661011-PS'];
  const PERSONAL: CaseScope = { voivodeship: '26', unitCode: '2661011', accountId: requester.accountId };
  const colleague = principal('kolega', assignment({ role: 'staff', voivodeship: '26', unitCode: '2661011', area: 'SR' }));
  const newcomer = principal('bez-rol', assignment({ role: 'staff', voivodeship: '12', unitCode: '1261011', area: 'PS' }));

  const table: [string, Principal, CaseScope, CaseAction, boolean][] = [
    ['the requester views it', requester, PERSONAL, 'view', true],
    ['the requester may not file scans on it', requester, PERSONAL, 'upload-scan', false],
    ['the requester views a request for a unit of another voivodeship', requester, { voivodeship: '12', unitCode: '1261011', accountId: requester.accountId }, 'view', true],
    ['a requester with no role in the target unit views it', newcomer, { voivodeship: '26', unitCode: '2661011', accountId: newcomer.accountId }, 'view', true],
    ['another staff member of the unit does not', colleague, PERSONAL, 'view', false],
    ['the voivodeship admin of 26 views it', PRINCIPALS['admin-26'], PERSONAL, 'view', true],
    ['the voivodeship admin of 12 does not', PRINCIPALS['admin-12'], PERSONAL, 'view', false],
    ['the ministry views it', PRINCIPALS.ministry, PERSONAL, 'view', true],
    ['a principal without roles does not', PRINCIPALS.nobody, PERSONAL, 'view', false],
    ['a case with accountId null is a unit case as before', colleague, { voivodeship: '26', unitCode: '2661011', accountId: null }, 'view', true],
  ];

  it.each(table)('%s', (_title, who, scope, action, allowed) => {
    expect(canOnCase(who, action, scope)).toBe(allowed);
  });
});

describe('staff see their unit’s cases in their own reporting areas only', () => {
  const staffIn = (area: string) => principal(`staff-${area}`, assignment({ role: 'staff', voivodeship: '26', unitCode: '2661011', area }));
  const registration = (areas: string[]) => ({ voivodeship: '26', unitCode: '2661011', data: { application: { areas } } });
  test.each([
    ['PS', ['PS', 'SR'], true],
    ['SR', ['PS', 'SR'], true],
    ['FA', ['PS', 'SR'], false],
    ['FA', [], false],
  ])('staff of area %s on a registration for %j: %s', (area, areas, allowed) => {
    expect(canOnCase(staffIn(area), 'view', registration(areas))).toBe(allowed);
  });
  test('a unit head sees the unit’s cases whatever their areas', () => {
    expect(canOnCase(principal('head', assignment({ role: 'unit_head', voivodeship: '26', unitCode: '2661011' })), 'view', registration(['FA']))).toBe(true);
  });
});
