import { z } from 'zod';
import { CSIZS_CHECKPOINTS, CSIZS_REGISTRATION_MESSAGES, CSIZS_STEPS, PIU_READER_ROLES, isEmpatiaAddress, isNtpSource } from '../../workflows/rules/csizs-campaign';

// The CSIZS connection campaign's requests and answers (seed 004), validated at the door and published in /openapi.json.

export const localDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Data w formacie RRRR-MM-DD');
export const localTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Czas lokalny (Europe/Warsaw) w formacie RRRR-MM-DDTGG:MM');
export const step = z.enum(CSIZS_STEPS);

export const calendarSchema = z
  .object({
    name: z.string().trim().min(3).max(200),
    area: z.string().trim().min(1).max(16),
    vendors: z.array(z.string().trim().min(1).max(100)).min(1),
    steps: z
      .object({ ...(Object.fromEntries(CSIZS_STEPS.map((s) => [s, localDate])) as Record<(typeof CSIZS_STEPS)[number], typeof localDate>), notification: localDate.optional(), dictionaries: localDate.optional() })
      .strict()
      .meta({ description: 'notification (seed 004 pkt 2, right after the installation): when left out, due with the installation; dictionaries (pkt 8): with the registration' }),
    vendorExceptions: z.array(z.object({ vendor: z.string().min(1), step, by: localDate }).strict()),
    checkpoints: z.array(z.object({ id: z.enum(CSIZS_CHECKPOINTS), opensAt: localTime, closesAt: localTime, confirms: step }).strict()).length(2),
  })
  .strict();

export const csizsCampaignBody = z
  .object({
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{2,60}$/, 'Identyfikator: małe litery, cyfry i myślniki (3–61 znaków)'),
    calendar: calendarSchema.optional().meta({ description: 'Dates in Europe/Warsaw; default: the 2016 "500+" campaign of seed 004' }),
    unitCodes: z.array(z.string().regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)')).min(1).optional().meta({ description: 'Participating gminas; default: all of them' }),
  })
  .strict();

export const campaignParams = z.object({ id: z.string().min(1).max(80) });
export const unitParams = z.object({ id: z.string().min(1).max(80), unitCode: z.string().regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)') });

export const csizsStepBody = z
  .object({
    step,
    vendor: z.string().trim().min(1).max(100).optional(),
    registration: z
      .object({
        ntpServer: z.string().trim().max(253).refine(isNtpSource, CSIZS_REGISTRATION_MESSAGES.ntp),
        empatiaAddress: z.string().trim().max(500).refine(isEmpatiaAddress, CSIZS_REGISTRATION_MESSAGES.empatia),
        empatiaCertificate: z.string().min(32, 'Certyfikat Emp@tia (PEM lub Base64)').max(20_000),
      })
      .strict()
      .optional()
      .meta({ description: 'domain_registration (seed 004 pkt 7a–c): the NTP time source, the Emp@tia server address and certificate; only the certificate\'s SHA-256 is kept, and it must be one of the package\'s' }),
    piuRoles: z
      .array(z.enum(PIU_READER_ROLES))
      .min(1, CSIZS_REGISTRATION_MESSAGES.piuRoles)
      .optional()
      .meta({ description: 'staff_accounts (seed 004 pkt 9): the PIU reader roles granted to the unit\'s staff' }),
  })
  .strict();

export const person = { firstName: z.string().trim().min(1).max(100), lastName: z.string().trim().min(1).max(100) };
export const csizsNotificationBody = z
  .object({
    unitName: z.string().trim().min(3).max(300),
    address: z.string().trim().min(5).max(300),
    areas: z.array(z.string().trim().min(1).max(40)).min(1, 'Podaj co najmniej jeden obsługiwany podobszar'),
    localAdmin: z.object({ ...person, phone: z.string().trim().regex(/^[+0-9 ()-]{9,20}$/, 'Numer telefonu'), email: z.email('Służbowy adres e-mail') }).strict(),
    head: z.object({ ...person, email: z.email('Adres e-mail kierownika') }).strict(),
  })
  .strict();

export const csizsDecisionBody = z
  .object({
    decision: z.enum(['accept', 'reject', 'clarify']).meta({ description: 'clarify: ask the unit head to explain the data (reason = the question)' }),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict();

export const CLARIFICATION_REQUIRED = 'Wpisz wyjaśnienie (co najmniej 3 znaki)';
export const csizsClarificationBody = z.object({ answer: z.string({ error: CLARIFICATION_REQUIRED }).trim().min(3, CLARIFICATION_REQUIRED).max(4000) }).strict();

export const csizsPackageBody = z
  .object({
    domainSystems: z.array(z.string().trim().min(1).max(100)).min(1, 'Podaj systemy dziedzinowe jednostki'),
    certificates: z
      .record(z.string(), z.string().min(32, 'Certyfikat (PEM lub Base64)').max(20_000))
      .meta({ description: 'One certificate per domain system, keyed by its name; kept sealed until the package is built, only its SHA-256 enters the workflow' }),
  })
  .strict();

export const csizsHandoverBody = z
  .object({
    handedOverAt: z.iso
      .datetime({ offset: true, error: 'Podaj datę i godzinę przekazania hasła' })
      .meta({ description: 'When the password was read out over the phone (never the password)' }),
  })
  .strict();

export const unitDocParams = unitParams.extend({ documentId: z.string().min(1).max(250) });
export const scanBody = z.object({ channel: z.enum(['email', 'paper']).optional().meta({ description: 'How the signed scan reached the voivodeship' }) });

export const csizsCallBody = z
  .object({
    checkpoint: z.enum(CSIZS_CHECKPOINTS),
    outcome: z.enum(['confirmed', 'not_confirmed', 'no_answer']),
    reason: z.string().trim().max(1000).optional(),
  })
  .strict();

export const csizsEscalationBody = z.object({ reason: z.string().trim().min(3).max(2000) }).strict();

export const progressSchema = z.object({ id: z.string(), name: z.string(), status: z.string(), totalUnits: z.number(), startedUnits: z.number(), url: z.string() });
