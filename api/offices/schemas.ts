import { z } from 'zod';
import { text } from '../text';

// The register of voivodeship offices (seed 000: ePUAP box and social-policy mailbox; seed 004
// Załącznik 5: the voivodeship administrators' e-mail addresses).

export const VOIVODESHIP_CODES = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32'] as const;

/** An empty field is no value. */
const optionalText = (max: number) => text(max, { min: 0 }).nullable().optional().transform((v) => (v ? v : null));

export const officeParams = z.object({ voivodeship: z.enum(VOIVODESHIP_CODES, 'Kod województwa TERYT: 02, 04, …, 32') });

export const officeBody = z
  .object({
    name: optionalText(200),
    epuapBox: optionalText(200).refine((v) => v === null || /^\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/.test(v), 'Adres skrytki ePUAP ma postać /IdentyfikatorUrzędu/Skrytka, np. /SUWKielce/SkrytkaESP'),
    socialPolicyEmail: z.email('Niepoprawny adres e-mail wydziału polityki społecznej').nullable().optional().transform((v) => v ?? null),
    // The page sends a few fields, some left empty; an empty one is no address.
    administratorEmails: z
      .array(z.union([z.email('Niepoprawny adres e-mail administratora wojewódzkiego'), z.literal('')]))
      .max(20)
      .optional()
      .transform((a) => (a ?? []).filter((x): x is string => x !== '')),
    postalAddress: optionalText(300),
  })
  .strict();

export const officeView = z.object({
  voivodeship: z.string(),
  voivodeshipName: z.string().nullable(),
  name: z.string().nullable(),
  epuapBox: z.string().nullable(),
  socialPolicyEmail: z.string().nullable(),
  administratorEmails: z.array(z.string()),
  postalAddress: z.string().nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});
export type OfficeView = z.infer<typeof officeView>;
