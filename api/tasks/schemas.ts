import { z } from 'zod';
import { multilineText, text } from '../text';
import { rejectionLacksReason } from '../../workflows/rules/decision';

export const taskIdParams = z.object({ taskId: text(250) });

export const decisionBody = z
  .object({
    decision: z.enum(['accept', 'reject']),
    reason: multilineText(2000, { min: 0 }).optional(),
  })
  .strict()
  .refine((d) => !rejectionLacksReason(d), {
    message: 'Odrzucenie wymaga podania powodu (co najmniej 3 znaki)',
    path: ['reason'],
  });

export const taskSchema = z.object({
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
export const taskView = taskSchema.extend({ caseId: z.string(), unitCode: z.string().nullable() });
