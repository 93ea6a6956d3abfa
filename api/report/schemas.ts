import { z } from 'zod';
import { text } from '../text';
import { REPORTING_AREAS } from '../../workflows/messages';
import { REPORT_PERIODS, isCalendarDay } from '../../workflows/rules/reporting-calendar';

export const reportPeopleView = z.object({
  status: z.string(),
  responsible: z.string().nullable(),
  substitute: z.string().nullable(),
  responsibleAbsent: z.boolean(),
  secondLevel: z.string().nullable(),
  substituteAbsent: z.boolean(),
  unitTaskId: z.string().nullable(),
  assignee: z.string().nullable(),
});

export const day = text(10).refine(isCalendarDay, 'Data w formacie RRRR-MM-DD');
export const code = text(40).regex(/^[A-Za-z0-9-]{1,40}$/, 'Kod: litery, cyfry i „-”, do 40 znaków');

export const dueRuleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('days-after-period-end'), days: z.number() }).strict(),
  z.object({ kind: z.literal('fixed-date'), date: day }).strict(),
]);

export const reportFormBody = z
  .object({
    name: text(300),
    area: z.enum(REPORTING_AREAS),
    unitKind: z.enum(['gmina', 'powiat']),
    period: z.enum(REPORT_PERIODS),
    dueRule: dueRuleSchema,
    /** false: the form stays in the calendar but its schedule is paused. */
    active: z.boolean().optional(),
  })
  .strict();

export const reportFormView = reportFormBody.extend({ code: z.string(), active: z.boolean(), scheduleId: z.string().nullable() });

export const reportCampaignBody = z
  .object({
    formCode: code,
    period: code.meta({ description: 'monthly 2026-03, quarterly 2026-Q1, half-yearly 2026-H1, yearly 2026; one-off: any label' }),
    units: z.union([z.literal('all'), z.array(text(7).regex(/^\d{4}(\d{3})?$/)).min(1).max(3000)]),
    voivodeship: text(2).regex(/^\d{2}$/).optional(),
    dueDate: day.optional().meta({ description: 'Overrides the form rule (one-off surveys)' }),
  })
  .strict();

export const countsSchema = z.record(z.string(), z.number());
export const rollupSchema = z.object({
  campaignId: z.string(),
  formCode: z.string(),
  period: z.string(),
  dueDate: z.string(),
  total: z.number(),
  national: countsSchema,
  voivodeships: z.array(z.object({ code: z.string(), name: z.string(), total: z.number(), counts: countsSchema })),
});

export const contentBody = z.object({ content: z.record(text(200), z.unknown()) }).strict();
export const reportParams = z.object({ reportId: text(200) });
export const campaignParams = z.object({ campaignId: text(120) });

/** The states of the roll-up: a report still open after its deadline counts as overdue. */
