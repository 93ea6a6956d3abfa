// seed 004 "Procedura podłączenia systemu dziedzinowego 500+ do CSIZS": a campaign is data (a calendar in
// Europe/Warsaw, vendor exceptions, phone-checkpoint windows); the procedure's order of steps is code.
// Pure: the API resolves a calendar to instants once, the workflow only compares instants with `now`.

import { warsawLocalToInstant } from './warsaw-time';

/**
 * The unit's steps, in the seed's order (Rozdział 1, pkt 1–9). seed 004 pkt 2: by 23 March the unit
 * designates its local administrator; "Niezwłocznie po dokonaniu instalacji" (pkt 4, 24 March) the head
 * sends the connection notification (Załącznik 2, "Zgłoszenie gotowości do podłączenia JT do CSIZS").
 */
export const CSIZS_STEPS = [
  'cas_report', // pkt 1: one-off report in CAS, vendor chosen
  'local_admin', // pkt 2: local administrator designated (by 23 March)
  'infrastructure', // pkt 3
  'installation', // pkt 4
  'notification', // pkt 2: right after the installation, the notification (Załącznik 2) accepted by the voivodeship
  'package_sent', // pkt 5 + Uwaga 2: package (Załącznik 3) e-mailed, its password handed over by phone
  'package_verified', // pkt 6a: the local admin checked the package is complete
  'password_changed', // pkt 6b: temporary password changed in PI-MZT
  'domain_registration', // pkt 7: NTP time source, Emp@tia address and certificate, registration
  'dictionaries', // pkt 8 + Uwaga 3: the dictionaries updated first after connecting
  'staff_accounts', // pkt 9: staff accounts with PIU reader roles
] as const;
export type CsizsStep = (typeof CSIZS_STEPS)[number];

/**
 * The order of plans resolved before issue 16 (no `version`): the notification was part of `local_admin`,
 * due on 23 March before the installation. Running cases keep it; new plans carry `version: 2`.
 */
export const CSIZS_STEPS_V1: readonly CsizsStep[] = CSIZS_STEPS.filter((s) => s !== 'notification' && s !== 'dictionaries');

export const CSIZS_STEP_TITLES: Record<CsizsStep, string> = {
  cas_report: 'Sprawozdanie jednorazowe w CAS i wybór dostawcy SD',
  local_admin: 'Wyznaczenie administratora lokalnego CSIZS',
  infrastructure: 'Przygotowanie infrastruktury',
  installation: 'Instalacja systemu dziedzinowego',
  notification: 'Zgłoszenie gotowości do podłączenia do CSIZS (Załącznik 2)',
  package_sent: 'Pakiet informacji (Załącznik 3) wysłany, hasło do pliku przekazane telefonicznie',
  package_verified: 'Weryfikacja kompletności pakietu przez administratora lokalnego',
  password_changed: 'Zmiana hasła tymczasowego w PI-MZT',
  domain_registration: 'Rejestracja systemu dziedzinowego w CSIZS (czas NTP, adres i certyfikat Emp@tia)',
  dictionaries: 'Aktualizacja słowników w pierwszej kolejności po podłączeniu',
  staff_accounts: 'Konta pracowników z rolami Czytelnik PIU',
};

export const CSIZS_CHECKPOINTS = ['checkpoint_1', 'checkpoint_2'] as const;
export type CsizsCheckpoint = (typeof CSIZS_CHECKPOINTS)[number];

/** seed 004 pkt 9: one reader role per area; a staff account holds one or more. Their titles: the one set of labels (pages, API answers). */
export const PIU_READER_ROLES = ['PS', 'SR', 'FA', 'WRiSPZ', 'OP-3', 'TR', 'ON', 'UE'] as const;
export type PiuReaderRole = (typeof PIU_READER_ROLES)[number];
export const PIU_READER_ROLE_TITLES: Record<PiuReaderRole, string> = {
  PS: 'Czytelnik PIU – obszar pomocy społecznej',
  SR: 'Czytelnik PIU – obszar świadczeń rodzinnych',
  FA: 'Czytelnik PIU – obszar funduszu alimentacyjnego',
  WRiSPZ: 'Czytelnik PIU – obszar wsparcia rodziny i pieczy zastępczej',
  'OP-3': 'Czytelnik PIU – obszar opieki nad dzieckiem w wieku do lat 3',
  TR: 'Czytelnik PIU – obszar turnusów rehabilitacyjnych',
  ON: 'Czytelnik PIU – obszar orzekania o niepełnosprawności',
  UE: 'Czytelnik PIU – obszar świadczeń UE',
};

/** The notification's (Załącznik 2) states as the unit and refusals name them. */
export const CSIZS_NOTIFICATION_STATUS_LABELS: Record<'awaiting_scan' | 'awaiting_review' | 'clarification' | 'rejected' | 'accepted', string> = {
  awaiting_scan: 'czeka na skan zgłoszenia podpisanego przez kierownika',
  awaiting_review: 'czeka na decyzję administratora wojewódzkiego',
  clarification: 'administrator wojewódzki prosi kierownika jednostki o wyjaśnienie',
  rejected: 'odrzucone przez administratora wojewódzkiego',
  accepted: 'przyjęte',
};

/** A calendar as written by people: local Warsaw dates ("by 23 March" = until the end of that day). */
export interface CampaignCalendar {
  name: string;
  area: string;
  vendors: string[];
  /**
   * Local date (YYYY-MM-DD) by which each step is due, inclusive. The notification, when not given, is due
   * with the installation (seed 004 pkt 2: "niezwłocznie po dokonaniu instalacji").
   */
  steps: Omit<Record<CsizsStep, string>, 'notification' | 'dictionaries'> & { notification?: string; dictionaries?: string };
  /** Vendor-specific dates that replace the common ones. */
  vendorExceptions: { vendor: string; step: CsizsStep; by: string }[];
  /** Phone-call windows in local time (YYYY-MM-DDTHH:mm), and the step each call confirms. */
  checkpoints: { id: CsizsCheckpoint; opensAt: string; closesAt: string; confirms: CsizsStep }[];
}

/** A calendar resolved to instants (epoch ms): what a workflow receives. */
export interface CampaignPlan {
  /** 2: the order of CSIZS_STEPS (notification after the installation); absent: CSIZS_STEPS_V1. */
  version?: 2;
  /** In the procedure's order. */
  steps: { step: CsizsStep; deadline: number }[];
  vendorExceptions: { vendor: string; step: CsizsStep; deadline: number }[];
  checkpoints: { id: CsizsCheckpoint; opensAt: number; closesAt: number; confirms: CsizsStep }[];
}

/** seed 004, the 2016 "500+" campaign; Otago distributes from 29 March (footnotes 1 and 2). */
export const CAMPAIGN_500_PLUS_2016: CampaignCalendar = {
  name: 'Podłączenie systemów dziedzinowych 500+ do CSIZS (2016)',
  area: 'SW',
  vendors: ['Sygnity', 'Otago', 'Sygnity Business Solutions', 'Comarch', 'Inne (świadectwo zgodności)'],
  steps: {
    cas_report: '2016-03-23',
    local_admin: '2016-03-23',
    infrastructure: '2016-03-23',
    installation: '2016-03-24',
    notification: '2016-03-24',
    package_sent: '2016-03-25',
    package_verified: '2016-03-29',
    password_changed: '2016-03-29',
    domain_registration: '2016-03-29',
    dictionaries: '2016-03-29',
    staff_accounts: '2016-03-30',
  },
  vendorExceptions: [
    { vendor: 'Otago', step: 'installation', by: '2016-03-29' },
    { vendor: 'Otago', step: 'notification', by: '2016-03-29' },
    { vendor: 'Otago', step: 'package_sent', by: '2016-03-29' },
  ],
  checkpoints: [
    // Uwaga 1: 24 March from 12:00 the ministry confirms the installation by phone.
    { id: 'checkpoint_1', opensAt: '2016-03-24T12:00', closesAt: '2016-03-25T00:00', confirms: 'installation' },
    // Uwaga 5: 30 March the ministry confirms the connection; where none, it contacts the mayor.
    { id: 'checkpoint_2', opensAt: '2016-03-30T08:00', closesAt: '2016-03-31T00:00', confirms: 'domain_registration' },
  ],
};

/** "2016-03-24T12:00" (or a bare date, meaning midnight) in Warsaw → epoch ms. */
export const warsawToInstant = warsawLocalToInstant;

/** "by 23 March" ends when 24 March begins in Warsaw. */
export const endOfWarsawDay = (date: string): number => {
  const [y, mo, d] = date.split('-').map(Number);
  const next = new Date(Date.UTC(y, mo - 1, d + 1));
  return warsawToInstant(next.toISOString().slice(0, 10));
};

/** The later of two local dates. */
const laterDate = (a: string, b: string) => (a > b ? a : b);

/**
 * Resolves a calendar to instants in the order of CSIZS_STEPS (version 2). The notification follows the
 * installation: without its own date it is due with the installation, and a vendor whose installation is
 * later (Otago) notifies by its installation date too.
 */
export function resolveCalendar(c: CampaignCalendar): CampaignPlan {
  const dates: Record<CsizsStep, string> = {
    ...c.steps,
    notification: laterDate(c.steps.notification ?? c.steps.installation, c.steps.installation),
    // pkt 8, Uwaga 3: "w pierwszej kolejności po podłączeniu": with the registration unless given.
    dictionaries: laterDate(c.steps.dictionaries ?? c.steps.domain_registration, c.steps.domain_registration),
  };
  const derived = c.vendorExceptions
    .filter((e) => e.step === 'installation' && !c.vendorExceptions.some((x) => x.step === 'notification' && x.vendor.toLowerCase() === e.vendor.toLowerCase()))
    .map((e) => ({ vendor: e.vendor, step: 'notification' as const, by: laterDate(e.by, dates.notification) }));
  return {
    version: 2,
    steps: CSIZS_STEPS.map((step) => ({ step, deadline: endOfWarsawDay(dates[step]) })),
    vendorExceptions: [...c.vendorExceptions, ...derived].map((e) => ({ vendor: e.vendor, step: e.step, deadline: endOfWarsawDay(e.by) })),
    checkpoints: c.checkpoints.map((k) => ({ id: k.id, opensAt: warsawToInstant(k.opensAt), closesAt: warsawToInstant(k.closesAt), confirms: k.confirms })),
  };
}

/** The same procedure moved in time, e.g. a campaign rerun or a test starting now. */
export function shiftPlan(plan: CampaignPlan, byMs: number): CampaignPlan {
  return {
    ...(plan.version ? { version: plan.version } : {}),
    steps: plan.steps.map((s) => ({ ...s, deadline: s.deadline + byMs })),
    vendorExceptions: plan.vendorExceptions.map((e) => ({ ...e, deadline: e.deadline + byMs })),
    checkpoints: plan.checkpoints.map((k) => ({ ...k, opensAt: k.opensAt + byMs, closesAt: k.closesAt + byMs })),
  };
}

/** The deadline of a step for a unit using vendor V (null: not chosen yet, the common date applies). */
export function stepDeadline(plan: CampaignPlan, step: CsizsStep, vendor: string | null): number {
  const exception = vendor ? plan.vendorExceptions.find((e) => e.step === step && e.vendor.toLowerCase() === vendor.toLowerCase()) : undefined;
  if (exception) return exception.deadline;
  const common = plan.steps.find((s) => s.step === step);
  if (!common) throw new Error(`no deadline for step ${step}`);
  return common.deadline;
}

/** The order of a plan's steps: CSIZS_STEPS for version 2, CSIZS_STEPS_V1 for plans of running cases before it. */
export const stepOrder = (plan: CampaignPlan): readonly CsizsStep[] => (plan.version === 2 ? CSIZS_STEPS : CSIZS_STEPS_V1);

/** The step the voivodeship's acceptance of the notification (Załącznik 2) completes under a plan. */
export const notificationStep = (plan: CampaignPlan): CsizsStep => (plan.version === 2 ? 'notification' : 'local_admin');

/** A step's title under a plan: before version 2, `local_admin` held the notification and `domain_registration` the dictionaries. */
export function stepTitle(plan: CampaignPlan, step: CsizsStep): string {
  if (plan.version !== 2 && step === 'local_admin') return 'Wyznaczenie administratora lokalnego i zgłoszenie podłączenia (Załącznik 2)';
  if (plan.version !== 2 && step === 'domain_registration') return 'Rejestracja systemu dziedzinowego w CSIZS i aktualizacja słowników';
  return CSIZS_STEP_TITLES[step];
}

/** The next step to complete, in the plan's order; null when all are done. */
export function nextStep(order: readonly CsizsStep[], completed: readonly CsizsStep[]): CsizsStep | null {
  return order.find((s) => !completed.includes(s)) ?? null;
}

/**
 * Every step whose deadline has passed at `now` and was not met, in procedure order. `met`: the steps
 * completed, and (version 2) the notification once its scan reached the voivodeship: the unit's duty
 * is to send it right after the installation, the voivodeship's check may come later.
 */
export function lateSteps(plan: CampaignPlan, vendor: string | null, met: readonly CsizsStep[], now: number): CsizsStep[] {
  return stepOrder(plan).filter((s) => !met.includes(s) && now >= stepDeadline(plan, s, vendor));
}

/** The step a unit is late at (its first overdue step), or null: what ObiegLateStep shows. */
export const lateStepAt = (plan: CampaignPlan, vendor: string | null, met: readonly CsizsStep[], now: number): CsizsStep | null =>
  lateSteps(plan, vendor, met, now)[0] ?? null;

/** Deadlines of one unit, sorted by time: the timers its workflow sets. */
export function unitTimeline(plan: CampaignPlan, vendor: string | null): { step: CsizsStep; deadline: number }[] {
  return stepOrder(plan).map((step) => ({ step, deadline: stepDeadline(plan, step, vendor) })).sort((a, b) => a.deadline - b.deadline);
}

export const CsizsErrorTypes = {
  outOfOrder: 'CSIZS_STEP_OUT_OF_ORDER',
  alreadyDone: 'CSIZS_STEP_ALREADY_DONE',
  vendorRequired: 'CSIZS_VENDOR_REQUIRED',
  unknownVendor: 'CSIZS_UNKNOWN_VENDOR',
  notOnCallList: 'CSIZS_NOT_ON_CALL_LIST',
  reasonRequired: 'CSIZS_REASON_REQUIRED',
  noEscalation: 'CSIZS_NO_ESCALATION_OPEN',
  certificatesMissing: 'CSIZS_CERTIFICATES_MISSING',
  ownPath: 'CSIZS_STEP_HAS_OWN_PATH',
  notificationState: 'CSIZS_NOTIFICATION_NOT_AWAITING',
  packageState: 'CSIZS_PACKAGE_NOT_AWAITING',
  registrationInvalid: 'CSIZS_STEP_DATA_INVALID',
} as const;

/**
 * Steps completed by their own procedure, not by reporting them done: the voivodeship accepting the
 * notification (pkt 2), the package mailed and its password handed over by phone (pkt 5, Uwaga 2), the
 * local administrator changing the temporary password (pkt 6b). Why `step` cannot be reported done under
 * the plan, or null.
 */
export function ownPathOf(plan: CampaignPlan, step: CsizsStep): string | null {
  if (step === notificationStep(plan)) return 'Krok kończy się akceptacją zgłoszenia podłączenia (Załącznik 2) przez administratora wojewódzkiego';
  if (step === 'package_sent') return 'Krok kończy się wysłaniem pakietu informacji (Załącznik 3) i telefonicznym przekazaniem hasła do pliku';
  if (step === 'password_changed') return 'Krok kończy się zmianą hasła tymczasowego przez administratora lokalnego';
  return null;
}

/** The domain systems a package names but has no certificate for (seed 004 pkt 5c), in the order given. */
export function systemsWithoutCertificate(domainSystems: readonly string[], certificates: Readonly<Record<string, string | undefined>>): string[] {
  return domainSystems.filter((s) => !(certificates[s] && certificates[s]!.trim()));
}

export interface StepCompletion {
  step: CsizsStep;
  by: string;
  /** cas_report: the chosen certified vendor. */
  vendor?: string;
  /** package_sent: the SHA-256 of each domain system's certificate (never the certificate itself: histories hold no secrets). */
  domainSystems?: string[];
  certificateSha256?: string[];
  /** package_sent: when the voivodeship administrator handed the file's password over by phone. */
  passwordHandedOverAt?: string;
  /** domain_registration (version 2, pkt 7a–c): what the local administrator configured. */
  registration?: DomainRegistration;
  /** staff_accounts (version 2, pkt 9): the PIU reader roles given to the unit's staff. */
  piuRoles?: string[];
}

/** seed 004 pkt 7a–c, as recorded: the certificate only as its SHA-256 (histories hold no certificate). */
export interface DomainRegistration {
  ntpServer: string;
  empatiaAddress: string;
  empatiaCertificateSha256: string;
}

const HOST = /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/;
export const CSIZS_REGISTRATION_MESSAGES = {
  ntp: 'Podaj źródło czasu NTP, z którym zsynchronizowano serwer systemu dziedzinowego (nazwa hosta lub adres IP, np. tempus1.gum.gov.pl)',
  empatia: 'Podaj adres serwera Emp@tia, z którym komunikuje się system dziedzinowy (adres https://)',
  certificate: 'Certyfikat Emp@tia nie pochodzi z pakietu informacji (Załącznik 3) przekazanego jednostce',
  piuRoles: 'Podaj role Czytelnik PIU nadane pracownikom (co najmniej jedną, bez powtórzeń)',
} as const;

export const isNtpSource = (s: string): boolean => IPV4.test(s) || (HOST.test(s) && !/^\d+(\.\d+)*$/.test(s));
export function isEmpatiaAddress(s: string): boolean {
  try {
    const u = new URL(s);
    return u.protocol === 'https:' && !!u.hostname && !u.username && !u.password;
  } catch {
    return false;
  }
}

/**
 * seed 004 pkt 7: the registration records the NTP time source (a), the Emp@tia server address (b) and
 * the Emp@tia certificate (c), which is one of the certificates of the unit's package (pkt 5c).
 */
export function registrationRefusal(r: DomainRegistration | undefined, packageCertificates: readonly string[]): { type: string; message: string } | null {
  if (!r || !isNtpSource(r.ntpServer?.trim() ?? '')) return { type: CsizsErrorTypes.registrationInvalid, message: CSIZS_REGISTRATION_MESSAGES.ntp };
  if (!isEmpatiaAddress(r.empatiaAddress?.trim() ?? '')) return { type: CsizsErrorTypes.registrationInvalid, message: CSIZS_REGISTRATION_MESSAGES.empatia };
  if (!/^[0-9a-f]{64}$/.test(r.empatiaCertificateSha256 ?? '') || !packageCertificates.includes(r.empatiaCertificateSha256)) {
    return { type: CsizsErrorTypes.registrationInvalid, message: CSIZS_REGISTRATION_MESSAGES.certificate };
  }
  return null;
}

/** seed 004 pkt 9: the staff accounts' reader roles, one or more of the eight, none twice. */
export function piuRolesRefusal(roles: readonly string[] | undefined): { type: string; message: string } | null {
  const ok = !!roles && roles.length > 0 && new Set(roles).size === roles.length && roles.every((r) => (PIU_READER_ROLES as readonly string[]).includes(r));
  return ok ? null : { type: CsizsErrorTypes.registrationInvalid, message: CSIZS_REGISTRATION_MESSAGES.piuRoles };
}

/** Why a step completion is refused before it reaches history, or null. */
export function stepRefusal(
  state: { order: readonly CsizsStep[]; completed: readonly CsizsStep[] },
  c: StepCompletion,
  vendors: readonly string[],
): { type: string; message: string } | null {
  if (!state.order.includes(c.step)) return { type: CsizsErrorTypes.outOfOrder, message: `Krok „${CSIZS_STEP_TITLES[c.step]}” nie należy do procedury tej kampanii` };
  if (state.completed.includes(c.step)) return { type: CsizsErrorTypes.alreadyDone, message: `Krok „${CSIZS_STEP_TITLES[c.step]}” jest już zakończony` };
  const next = nextStep(state.order, state.completed);
  if (c.step !== next) {
    return { type: CsizsErrorTypes.outOfOrder, message: `Krok „${CSIZS_STEP_TITLES[c.step]}” nie może być zakończony przed krokiem „${next ? CSIZS_STEP_TITLES[next] : '—'}”` };
  }
  if (c.step === 'cas_report') {
    if (!c.vendor) return { type: CsizsErrorTypes.vendorRequired, message: 'Podaj wybranego dostawcę systemu dziedzinowego' };
    if (!vendors.some((v) => v.toLowerCase() === c.vendor!.toLowerCase())) {
      return { type: CsizsErrorTypes.unknownVendor, message: `Dostawca ${c.vendor} nie ma ważnego świadectwa zgodności w tej kampanii` };
    }
  }
  if (c.step === 'package_sent') {
    const systems = c.domainSystems ?? [];
    const certs = c.certificateSha256 ?? [];
    // seed 004 pkt 5c: a certificate for each domain system used in the unit.
    if (systems.length === 0 || certs.length < systems.length || certs.some((x) => !x.trim())) {
      return { type: CsizsErrorTypes.certificatesMissing, message: 'Pakiet musi zawierać certyfikat dla każdego systemu dziedzinowego jednostki' };
    }
    if (!c.passwordHandedOverAt) return { type: CsizsErrorTypes.reasonRequired, message: 'Podaj, kiedy hasło do pliku przekazano telefonicznie' };
  }
  return null;
}

export type CallOutcome = 'confirmed' | 'not_confirmed' | 'no_answer';

export interface CallRecord {
  checkpoint: CsizsCheckpoint;
  outcome: CallOutcome;
  reason?: string;
  calledBy: string;
}

/** A call counts only for a unit on the open call list of that checkpoint; "not confirmed" needs a reason. */
export function callRefusal(openCheckpoints: readonly CsizsCheckpoint[], call: CallRecord): { type: string; message: string } | null {
  if (!openCheckpoints.includes(call.checkpoint)) {
    return { type: CsizsErrorTypes.notOnCallList, message: `Jednostka nie jest na liście połączeń punktu kontrolnego ${call.checkpoint}` };
  }
  if (call.outcome === 'not_confirmed' && !(call.reason && call.reason.trim().length >= 3)) {
    return { type: CsizsErrorTypes.reasonRequired, message: 'Brak potwierdzenia wymaga podania powodu' };
  }
  return null;
}

/** Steps the voivodeship administrator completes (pkt 2: checks the notification; pkt 5: sends the package); the unit reports the rest. */
export const CSIZS_VOIVODESHIP_STEPS: readonly CsizsStep[] = ['notification', 'package_sent'];

/** A local date or date-time moved by whole days. */
export const addLocalDays = (date: string, days: number): string => {
  const [y, mo, d] = date.slice(0, 10).split('-').map(Number);
  return new Date(Date.UTC(y, mo - 1, d + days)).toISOString().slice(0, 10) + date.slice(10);
};

/** The same calendar some whole days later (local dates and times kept): a new campaign, or a test run now. */
export function shiftCalendarDays(c: CampaignCalendar, days: number): CampaignCalendar {
  return {
    ...c,
    steps: Object.fromEntries(Object.entries(c.steps).map(([s, by]) => [s, addLocalDays(by, days)])) as CampaignCalendar['steps'],
    vendorExceptions: c.vendorExceptions.map((e) => ({ ...e, by: addLocalDays(e.by, days) })),
    checkpoints: c.checkpoints.map((k) => ({ ...k, opensAt: addLocalDays(k.opensAt, days), closesAt: addLocalDays(k.closesAt, days) })),
  };
}
