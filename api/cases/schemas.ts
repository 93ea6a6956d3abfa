import { z } from 'zod';
import { caseLetter } from '../letters/schemas';
import { text } from '../text';
import { taskSchema } from '../tasks/schemas';

export const caseIdParams = z.object({ caseId: text(200) });

export const scanFields = z.object({
  channel: z.enum(['epuap', 'email']).meta({ description: 'How the signed scan reached the voivodeship office' }),
});

export const mailIdParams = z.object({ mailId: text(250) });

const event = z.object({ at: z.string(), actor: z.string(), type: z.string(), message: z.string() });
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
    /** Issue 14 item 2: "wymaga interwencji", why (no personal data) and since when; null when all is well. */
    attention: z.object({ reason: z.string(), since: z.string() }).nullable(),
    history: z.array(event),
    tasks: z.array(taskSchema),
    documents: z.array(document),
    mail: z.array(mail),
    /** seed 003: the office's letters of the case, when their addressee opened each, and the confirmation (UPD). */
    letters: z.array(caseLetter),
    temporalUrl: z.string(),
  })
  .meta({ id: 'Case' });

export const caseCreated = z.object({ id: z.string(), created: z.boolean(), status: z.string(), url: z.string() });
