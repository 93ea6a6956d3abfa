import { z } from 'zod';

export const unitsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  kind: z.enum(['voivodeship', 'powiat', 'gmina']).optional(),
  voivodeship: z.string().regex(/^\d{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const unitView = z.object({ code: z.string(), kind: z.string(), name: z.string(), nameExtra: z.string(), voivodeship: z.string() });
