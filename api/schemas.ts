import { z } from 'zod';
import { REPORTING_AREAS, UNIT_TYPES } from '../workflows/messages';

const text = (max: number) => z.string().trim().min(1, 'Pole jest wymagane').max(max);
const phone = z.string().trim().regex(/^\+?[0-9][0-9 ()-]{7,18}[0-9]$/, 'Numer telefonu, np. 41 342 12 34 lub +48 41 342 12 34');

export const terytCode = z
  .string()
  .regex(/^\d{4}(\d{3})?$/, 'Kod TERYT: 7 cyfr dla gminy (z rodzajem gminy) lub 4 cyfry dla powiatu');

export const registrationBody = z
  .object({
    registerUnit: z.boolean().meta({ description: 'true: new unit and its first user; false: a new user of a registered unit' }),
    unit: z.object({
      terytCode,
      type: z.enum(UNIT_TYPES),
      name: text(200),
      street: text(200),
      postalCode: z.string().regex(/^\d{2}-\d{3}$/, 'Kod pocztowy w formacie 00-000'),
      city: text(100),
      email: z.email('Niepoprawny adres e-mail'),
      phone,
    }).strict(),
    applicant: z.object({
      firstName: text(100),
      lastName: text(100),
      position: text(200),
      email: z.email('Niepoprawny adres e-mail'),
      phone,
    }).strict(),
    areas: z
      .array(z.enum(REPORTING_AREAS))
      .min(1, 'Wybierz co najmniej jeden obszar sprawozdawczy')
      .refine((a) => new Set(a).size === a.length, 'Obszary nie mogą się powtarzać'),
  })
  .strict();

export const caseIdParams = z.object({ caseId: z.string().min(1).max(200) });

export const scanFields = z.object({
  channel: z.enum(['epuap', 'email']).meta({ description: 'How the signed scan reached the voivodeship office' }),
});

export const taskIdParams = z.object({ taskId: z.string().min(1).max(250) });
export const mailIdParams = z.object({ mailId: z.string().min(1).max(250) });

export const decisionBody = z
  .object({
    decision: z.enum(['accept', 'reject']),
    reason: z.string().trim().max(2000).optional(),
  })
  .strict()
  .refine((d) => d.decision === 'accept' || (d.reason && d.reason.length >= 3), {
    message: 'Odrzucenie wymaga podania powodu (co najmniej 3 znaki)',
    path: ['reason'],
  });

export const unitsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(['voivodeship', 'powiat', 'gmina']).optional(),
  voivodeship: z.string().regex(/^\d{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

const event = z.object({ at: z.string(), actor: z.string(), type: z.string(), message: z.string() });
const task = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  status: z.string(),
  role: z.string(),
  voivodeship: z.string().nullable(),
  dueAt: z.string().nullable(),
  outcome: z.string().nullable(),
  comment: z.string().nullable(),
  completedBy: z.string().nullable(),
  completedAt: z.string().nullable(),
  /** Who holds the task: claimed, handed over, or assigned by the process (a report's responsible person). */
  claimedBy: z.string().nullable(),
});
const document = z.object({
  id: z.string(),
  kind: z.string(),
  title: z.string(),
  mediaType: z.string(),
  size: z.number(),
  sha256: z.string(),
  filename: z.string(),
  source: z.string(),
  createdAt: z.string(),
  url: z.string(),
});
const mail = z.object({ id: z.string(), subject: z.string(), template: z.string(), status: z.string(), attempts: z.number(), sentAt: z.string().nullable() });

export const caseView = z
  .object({
    id: z.string(),
    type: z.string(),
    status: z.string(),
    statusLabel: z.string(),
    title: z.string(),
    unit: z.object({ code: z.string(), name: z.string().nullable() }),
    voivodeship: z.string(),
    waitingFor: z.string().nullable(),
    deadlines: z.array(z.object({ kind: z.string(), label: z.string(), at: z.string() })),
    createdAt: z.string(),
    updatedAt: z.string(),
    closedAt: z.string().nullable(),
    history: z.array(event),
    tasks: z.array(task),
    documents: z.array(document),
    mail: z.array(mail),
    temporalUrl: z.string(),
  })
  .meta({ id: 'Case' });

export const caseCreated = z.object({ id: z.string(), created: z.boolean(), status: z.string(), url: z.string() });
export const unitView = z.object({ code: z.string(), kind: z.string(), name: z.string(), nameExtra: z.string(), voivodeship: z.string() });
export const taskView = task.extend({ caseId: z.string(), unitCode: z.string().nullable() });

export const reportPeopleView = z.object({
  status: z.string(),
  responsible: z.string().nullable(),
  substitute: z.string().nullable(),
  responsibleAbsent: z.boolean(),
  unitTaskId: z.string().nullable(),
  assignee: z.string().nullable(),
});
