import { z } from 'zod';

export const reportPeopleView = z.object({
  status: z.string(),
  responsible: z.string().nullable(),
  substitute: z.string().nullable(),
  responsibleAbsent: z.boolean(),
  unitTaskId: z.string().nullable(),
  assignee: z.string().nullable(),
});
