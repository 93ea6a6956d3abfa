import {
  CAMPAIGN_500_PLUS_2016,
  CSIZS_STEPS,
  CSIZS_STEPS_V1,
  CsizsErrorTypes,
  callRefusal,
  endOfWarsawDay,
  lateStepAt,
  lateSteps,
  nextStep,
  notificationStep,
  ownPathOf,
  piuRolesRefusal,
  PIU_READER_ROLES,
  registrationRefusal,
  resolveCalendar,
  shiftCalendarDays,
  shiftPlan,
  stepDeadline,
  stepOrder,
  stepRefusal,
  stepTitle,
  unitTimeline,
  warsawToInstant,
  type CampaignPlan,
  type DomainRegistration,
  type CsizsStep,
} from '../../workflows/rules/csizs-campaign';

// seed 004: the 2016 calendar in Europe/Warsaw; summer time began on 27 March 2016.
const plan = resolveCalendar(CAMPAIGN_500_PLUS_2016);
const iso = (ms: number) => new Date(ms).toISOString();

test.each([
  ['2016-03-24T12:00', '2016-03-24T11:00:00.000Z'],
  ['2016-03-23', '2016-03-22T23:00:00.000Z'],
  ['2016-03-29', '2016-03-28T22:00:00.000Z'],
  ['2016-03-27T03:00', '2016-03-27T01:00:00.000Z'],
  ['2016-10-30T12:00', '2016-10-30T11:00:00.000Z'],
])('Warsaw local %s is %s', (local, utc) => {
  expect(iso(warsawToInstant(local))).toBe(utc);
});

test('"by 23 March" ends when 24 March begins in Warsaw', () => {
  expect(iso(endOfWarsawDay('2016-03-23'))).toBe('2016-03-23T23:00:00.000Z');
  expect(iso(endOfWarsawDay('2016-03-29'))).toBe('2016-03-29T22:00:00.000Z');
  expect(iso(endOfWarsawDay('2016-12-31'))).toBe('2016-12-31T23:00:00.000Z');
});

test.each<[CsizsStep, string | null, string]>([
  ['cas_report', null, '2016-03-23T23:00:00.000Z'],
  ['installation', null, '2016-03-24T23:00:00.000Z'],
  ['installation', 'Sygnity', '2016-03-24T23:00:00.000Z'],
  ['installation', 'Otago', '2016-03-29T22:00:00.000Z'],
  ['installation', 'otago', '2016-03-29T22:00:00.000Z'],
  ['notification', null, '2016-03-24T23:00:00.000Z'],
  ['notification', 'Otago', '2016-03-29T22:00:00.000Z'],
  ['package_sent', null, '2016-03-25T23:00:00.000Z'],
  ['package_sent', 'Otago', '2016-03-29T22:00:00.000Z'],
  ['domain_registration', 'Otago', '2016-03-29T22:00:00.000Z'],
  ['staff_accounts', null, '2016-03-30T22:00:00.000Z'],
])('deadline of %s for vendor %s is %s', (step, vendor, expected) => {
  expect(iso(stepDeadline(plan, step, vendor))).toBe(expected);
});

test('phone checkpoints: 24 March from 12:00 and 30 March', () => {
  expect(plan.checkpoints.map((k) => [k.id, iso(k.opensAt), iso(k.closesAt), k.confirms])).toEqual([
    ['checkpoint_1', '2016-03-24T11:00:00.000Z', '2016-03-24T23:00:00.000Z', 'installation'],
    ['checkpoint_2', '2016-03-30T06:00:00.000Z', '2016-03-30T22:00:00.000Z', 'domain_registration'],
  ]);
});

const upTo = (s: CsizsStep) => CSIZS_STEPS.slice(0, CSIZS_STEPS.indexOf(s) + 1);
const at = (local: string) => warsawToInstant(local);

test.each<[string, string | null, CsizsStep[], string, CsizsStep[]]>([
  ['nothing due yet', null, [], '2016-03-23T23:59', []],
  ['nothing done after 23 March', null, [], '2016-03-24T00:00', ['cas_report', 'local_admin', 'infrastructure']],
  ['on time', 'Sygnity', upTo('notification'), '2016-03-25T08:00', []],
  ['installed on 24 March, notification still not sent after it', 'Sygnity', upTo('installation'), '2016-03-25T00:00', ['notification']],
  ['late at installation', 'Sygnity', upTo('infrastructure'), '2016-03-25T00:00', ['installation', 'notification']],
  ['Otago is not late at installation on 25 March', 'Otago', upTo('infrastructure'), '2016-03-26T10:00', []],
  ['Otago late at installation and package after 29 March', 'Otago', upTo('infrastructure'), '2016-03-30T00:00', ['installation', 'notification', 'package_sent', 'package_verified', 'password_changed', 'domain_registration', 'dictionaries']],
  ['all done', 'Sygnity', [...CSIZS_STEPS], '2016-04-30T00:00', []],
])('%s', (_name, vendor, completed, now, expected) => {
  expect(lateSteps(plan, vendor, completed, at(now))).toEqual(expected);
  expect(lateStepAt(plan, vendor, completed, at(now))).toBe(expected[0] ?? null);
});

test('next step follows the seed order', () => {
  expect(nextStep(CSIZS_STEPS, [])).toBe('cas_report');
  expect(nextStep(CSIZS_STEPS, upTo('installation'))).toBe('notification');
  expect(nextStep(CSIZS_STEPS, upTo('notification'))).toBe('package_sent');
  expect(nextStep(CSIZS_STEPS, [...CSIZS_STEPS])).toBeNull();
});

describe('seed 004 Rozdział 1 pkt 2 and 4: the notification (Załącznik 2) follows the installation of 24 March', () => {
  test('only the local administrator (and pkt 1, 3) are due on 23 March; the notification with the installation on 24 March', () => {
    const due23 = plan.steps.filter((s) => iso(s.deadline) === '2016-03-23T23:00:00.000Z').map((s) => s.step);
    expect(due23).toEqual(['cas_report', 'local_admin', 'infrastructure']);
    expect(plan.version).toBe(2);
    expect(stepOrder(plan).indexOf('notification')).toBe(stepOrder(plan).indexOf('installation') + 1);
    expect(stepDeadline(plan, 'notification', null)).toBe(stepDeadline(plan, 'installation', null));
  });
  test('a unit that installs on 24 March and notifies right after is not late; the notification cannot come first', () => {
    expect(lateSteps(plan, 'Sygnity', upTo('notification'), at('2016-03-24T23:59'))).toEqual([]);
    expect(lateSteps(plan, 'Sygnity', upTo('infrastructure'), at('2016-03-24T10:00'))).toEqual([]);
    expect(stepRefusal({ order: stepOrder(plan), completed: upTo('infrastructure') }, { step: 'notification', by: 'x' }, vendors)?.type).toBe(CsizsErrorTypes.outOfOrder);
    expect(ownPathOf(plan, 'notification')).toMatch(/akceptacją zgłoszenia/);
    expect(ownPathOf(plan, 'local_admin')).toBeNull();
  });
  test('a calendar without the notification date: due with the installation, a later vendor installation moves it', () => {
    const { notification: _n, ...steps } = CAMPAIGN_500_PLUS_2016.steps;
    const p = resolveCalendar({ ...CAMPAIGN_500_PLUS_2016, steps, vendorExceptions: CAMPAIGN_500_PLUS_2016.vendorExceptions.filter((e) => e.step !== 'notification') });
    expect(iso(stepDeadline(p, 'notification', null))).toBe('2016-03-24T23:00:00.000Z');
    expect(iso(stepDeadline(p, 'notification', 'Otago'))).toBe('2016-03-29T22:00:00.000Z');
  });
  test('a plan of a case started before (no version) keeps its order: the notification inside local_admin on 23 March', () => {
    const { version: _v, ...old } = plan;
    const v1: CampaignPlan = { ...old, steps: old.steps.filter((s) => s.step !== 'notification') };
    expect(stepOrder(v1)).toEqual(CSIZS_STEPS_V1);
    expect(notificationStep(v1)).toBe('local_admin');
    expect(ownPathOf(v1, 'local_admin')).toMatch(/akceptacją zgłoszenia/);
    expect(nextStep(stepOrder(v1), ['cas_report', 'local_admin', 'infrastructure', 'installation'])).toBe('package_sent');
    expect(lateSteps(v1, null, [], at('2016-03-24T00:00'))).toEqual(['cas_report', 'local_admin', 'infrastructure']);
    expect(stepTitle(v1, 'local_admin')).toContain('zgłoszenie podłączenia');
    expect(stepTitle(plan, 'local_admin')).toBe('Wyznaczenie administratora lokalnego CSIZS');
  });
});

test('timeline is sorted by deadline and shifted plans keep their spacing', () => {
  const t = unitTimeline(plan, 'Otago');
  expect(t.map((x) => x.deadline)).toEqual([...t.map((x) => x.deadline)].sort((a, b) => a - b));
  expect(t.at(-1)!.step).toBe('staff_accounts');
  const shifted = shiftPlan(plan, 1000);
  expect(stepDeadline(shifted, 'installation', 'Otago')).toBe(stepDeadline(plan, 'installation', 'Otago') + 1000);
  expect(shifted.checkpoints[0].opensAt).toBe(plan.checkpoints[0].opensAt + 1000);
});

const vendors = CAMPAIGN_500_PLUS_2016.vendors;
test.each<[string, CsizsStep[], Parameters<typeof stepRefusal>[1], string | null]>([
  ['first step with a vendor', [], { step: 'cas_report', by: 'x', vendor: 'Otago' }, null],
  ['first step without a vendor', [], { step: 'cas_report', by: 'x' }, CsizsErrorTypes.vendorRequired],
  ['uncertified vendor', [], { step: 'cas_report', by: 'x', vendor: 'Krzak sp. z o.o.' }, CsizsErrorTypes.unknownVendor],
  ['out of order', [], { step: 'installation', by: 'x' }, CsizsErrorTypes.outOfOrder],
  ['twice', ['cas_report'], { step: 'cas_report', by: 'x', vendor: 'Otago' }, CsizsErrorTypes.alreadyDone],
  ['package without certificates', upTo('notification'), { step: 'package_sent', by: 'x', domainSystems: ['SW'], certificateSha256: [], passwordHandedOverAt: '2016-03-25T10:00:00Z' }, CsizsErrorTypes.certificatesMissing],
  ['package with one certificate for two systems', upTo('notification'), { step: 'package_sent', by: 'x', domainSystems: ['SW', 'SR'], certificateSha256: ['c1'], passwordHandedOverAt: '2016-03-25T10:00:00Z' }, CsizsErrorTypes.certificatesMissing],
  ['package, password not handed over', upTo('notification'), { step: 'package_sent', by: 'x', domainSystems: ['SW'], certificateSha256: ['c1'] }, CsizsErrorTypes.reasonRequired],
  ['complete package', upTo('notification'), { step: 'package_sent', by: 'x', domainSystems: ['SW'], certificateSha256: ['c1'], passwordHandedOverAt: '2016-03-25T10:00:00Z' }, null],
])('step refusal: %s', (_name, completed, completion, expected) => {
  expect(stepRefusal({ order: CSIZS_STEPS, completed }, completion, vendors)?.type ?? null).toBe(expected);
});

test.each<[string, Parameters<typeof callRefusal>[0], Parameters<typeof callRefusal>[1], string | null]>([
  ['confirmed on the list', ['checkpoint_1'], { checkpoint: 'checkpoint_1', outcome: 'confirmed', calledBy: 'm' }, null],
  ['not on the list', [], { checkpoint: 'checkpoint_1', outcome: 'confirmed', calledBy: 'm' }, CsizsErrorTypes.notOnCallList],
  ['other checkpoint', ['checkpoint_1'], { checkpoint: 'checkpoint_2', outcome: 'no_answer', calledBy: 'm' }, CsizsErrorTypes.notOnCallList],
  ['not confirmed without reason', ['checkpoint_2'], { checkpoint: 'checkpoint_2', outcome: 'not_confirmed', calledBy: 'm' }, CsizsErrorTypes.reasonRequired],
  ['not confirmed with reason', ['checkpoint_2'], { checkpoint: 'checkpoint_2', outcome: 'not_confirmed', reason: 'Brak certyfikatu', calledBy: 'm' }, null],
])('call refusal: %s', (_name, open, call, expected) => {
  expect(callRefusal(open, call)?.type ?? null).toBe(expected);
});

test('a calendar shifted by whole days keeps local dates and times', () => {
  const c = shiftCalendarDays(CAMPAIGN_500_PLUS_2016, 365 * 10 + 2);
  expect(c.steps.installation).toBe('2026-03-24');
  expect(c.vendorExceptions[0]).toEqual({ vendor: 'Otago', step: 'installation', by: '2026-03-29' });
  expect(c.checkpoints[0].opensAt).toBe('2026-03-24T12:00');
  expect(new Date(resolveCalendar(c).checkpoints[0].opensAt).toISOString()).toBe('2026-03-24T11:00:00.000Z');
});

describe('seed 004 Rozdział 1 pkt 7, 8 (Uwaga 3) and 9: the registration records its data; the dictionaries are a step of their own', () => {
  const cert = 'a'.repeat(64);
  const ok: DomainRegistration = { ntpServer: 'tempus1.gum.gov.pl', empatiaAddress: 'https://empatia.example.gov.pl/csizs', empatiaCertificateSha256: cert };
  test.each<[string, Partial<DomainRegistration> | undefined, string | null]>([
    ['complete', {}, null],
    ['an IPv4 NTP source', { ntpServer: '194.146.251.100' }, null],
    ['nothing given', undefined, 'NTP'],
    ['no NTP source', { ntpServer: '' }, 'NTP'],
    ['an NTP source that is not a host', { ntpServer: 'czas z internetu' }, 'NTP'],
    ['an NTP source that is a bad address', { ntpServer: '300.1.1.1' }, 'NTP'],
    ['Emp@tia over plain http', { empatiaAddress: 'http://empatia.example.gov.pl' }, 'Emp@tia'],
    ['Emp@tia not an address', { empatiaAddress: 'serwer Emp@tia' }, 'Emp@tia'],
    ['a certificate not from the package', { empatiaCertificateSha256: 'b'.repeat(64) }, 'pakietu informacji'],
  ])('registration: %s', (_name, change, expected) => {
    const refusal = registrationRefusal(change === undefined ? undefined : { ...ok, ...change }, [cert]);
    if (expected === null) expect(refusal).toBeNull();
    else expect(refusal).toMatchObject({ type: CsizsErrorTypes.registrationInvalid, message: expect.stringContaining(expected) });
  });
  test('the dictionaries follow the registration, due with it; the staff accounts come last', () => {
    expect(stepOrder(plan).slice(-3)).toEqual(['domain_registration', 'dictionaries', 'staff_accounts']);
    expect(stepDeadline(plan, 'dictionaries', null)).toBe(stepDeadline(plan, 'domain_registration', null));
    expect(stepRefusal({ order: CSIZS_STEPS, completed: upTo('password_changed') }, { step: 'dictionaries', by: 'x' }, vendors)?.type).toBe(CsizsErrorTypes.outOfOrder);
  });
  test('pkt 9: staff accounts carry one or more of the eight PIU reader roles, none twice', () => {
    expect(PIU_READER_ROLES).toHaveLength(8);
    expect(piuRolesRefusal(['SR', 'UE'])).toBeNull();
    expect(piuRolesRefusal([...PIU_READER_ROLES])).toBeNull();
    expect(piuRolesRefusal([])?.type).toBe(CsizsErrorTypes.registrationInvalid);
    expect(piuRolesRefusal(undefined)?.type).toBe(CsizsErrorTypes.registrationInvalid);
    expect(piuRolesRefusal(['SR', 'SR'])?.type).toBe(CsizsErrorTypes.registrationInvalid);
    expect(piuRolesRefusal(['SW'])?.type).toBe(CsizsErrorTypes.registrationInvalid);
  });
});
