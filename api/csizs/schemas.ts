import { z } from 'zod';
import { multilineText, text } from '../text';
import { CSIZS_CHECKPOINTS, CSIZS_REGISTRATION_MESSAGES, CSIZS_STEPS, PIU_READER_ROLES, isEmpatiaAddress, isNtpSource } from '../../workflows/rules/csizs-campaign';

// The CSIZS connection campaign's requests and answers (seed 004), validated at the door and published in /openapi.json.

export const localDate = text(10).regex(/^\d{4}-\d{2}-\d{2}$/, 'Data w formacie RRRR-MM-DD');
export const localTime = text(16).regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, 'Czas lokalny (Europe/Warsaw) w formacie RRRR-MM-DDTGG:MM');
export const step = z.enum(CSIZS_STEPS);

export const calendarSchema = z
  .object({
    name: text(200, { min: 3 }),
    area: text(16),
    vendors: z.array(text(100)).min(1),
    steps: z
      .object({ ...(Object.fromEntries(CSIZS_STEPS.map((s) => [s, localDate])) as Record<(typeof CSIZS_STEPS)[number], typeof localDate>), notification: localDate.optional(), dictionaries: localDate.optional() })
      .strict()
      .meta({ description: 'notification (seed 004 pkt 2, right after the installation): when left out, due with the installation; dictionaries (pkt 8): with the registration' }),
    vendorExceptions: z.array(z.object({ vendor: text(100), step, by: localDate }).strict()),
    checkpoints: z.array(z.object({ id: z.enum(CSIZS_CHECKPOINTS), opensAt: localTime, closesAt: localTime, confirms: step }).strict()).length(2),
  })
  .strict();

export const csizsCampaignBody = z
  .object({
    id: text(61).regex(/^[a-z0-9][a-z0-9-]{2,60}$/, 'Identyfikator: małe litery, cyfry i myślniki (3–61 znaków)'),
    calendar: calendarSchema.optional().meta({ description: 'Dates in Europe/Warsaw; default: the 2016 "500+" campaign of seed 004' }),
    unitCodes: z.array(text(7).regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)')).min(1).optional().meta({ description: 'Participating gminas; default: all of them' }),
  })
  .strict();

export const campaignParams = z.object({ id: text(80) });
export const unitParams = z.object({ id: text(80), unitCode: text(7).regex(/^\d{7}$/, 'Kod TERYT gminy (7 cyfr)') });

export const csizsStepBody = z
  .object({
    step,
    vendor: text(100).optional(),
    registration: z
      .object({
        ntpServer: text(253, { min: 0 }).refine(isNtpSource, CSIZS_REGISTRATION_MESSAGES.ntp),
        empatiaAddress: text(500, { min: 0 }).refine(isEmpatiaAddress, CSIZS_REGISTRATION_MESSAGES.empatia),
        empatiaCertificate: multilineText(20_000, { min: 32, minMessage: 'Certyfikat Emp@tia (PEM lub Base64)' }),
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

export const person = { firstName: text(100), lastName: text(100) };
export const csizsNotificationBody = z
  .object({
    unitName: text(300, { min: 3 }),
    address: text(300, { min: 5 }),
    areas: z.array(text(40)).min(1, 'Podaj co najmniej jeden obsługiwany podobszar'),
    localAdmin: z.object({ ...person, phone: text(20).regex(/^[+0-9 ()-]{9,20}$/, 'Numer telefonu'), email: z.email('Służbowy adres e-mail').max(254) }).strict(),
    head: z.object({ ...person, email: z.email('Adres e-mail kierownika').max(254) }).strict(),
  })
  .strict();

export const csizsDecisionBody = z
  .object({
    decision: z.enum(['accept', 'reject', 'clarify']).meta({ description: 'clarify: ask the unit head to explain the data (reason = the question)' }),
    reason: multilineText(2000, { min: 0 }).optional(),
  })
  .strict();

export const CLARIFICATION_REQUIRED = 'Wpisz wyjaśnienie (co najmniej 3 znaki)';
export const csizsClarificationBody = z.object({ answer: multilineText(4000, { min: 3, minMessage: CLARIFICATION_REQUIRED }) }).strict();

export const csizsPackageBody = z
  .object({
    domainSystems: z.array(text(100)).min(1, 'Podaj systemy dziedzinowe jednostki'),
    certificates: z
      .record(text(100), multilineText(20_000, { min: 32, minMessage: 'Certyfikat (PEM lub Base64)' }))
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

export const unitDocParams = unitParams.extend({ documentId: text(250) });
export const scanBody = z.object({ channel: z.enum(['email', 'paper']).optional().meta({ description: 'How the signed scan reached the voivodeship' }) });

export const csizsCallBody = z
  .object({
    checkpoint: z.enum(CSIZS_CHECKPOINTS),
    outcome: z.enum(['confirmed', 'not_confirmed', 'no_answer']),
    reason: multilineText(1000, { min: 0 }).optional(),
  })
  .strict();

export const csizsEscalationBody = z.object({ reason: multilineText(2000, { min: 3 }) }).strict();

export const progressSchema = z.object({ id: z.string(), name: z.string(), status: z.string(), totalUnits: z.number(), startedUnits: z.number(), url: z.string() });
