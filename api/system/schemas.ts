import { z } from 'zod';
import { text } from '../text';

export const unitsQuery = z.object({
  q: text(100, { min: 0 }).optional(),
  kind: z.enum(['voivodeship', 'powiat', 'gmina']).optional(),
  voivodeship: text(2).regex(/^\d{2}$/).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

export const unitView = z.object({ code: z.string(), kind: z.string(), name: z.string(), nameExtra: z.string(), voivodeship: z.string() });
