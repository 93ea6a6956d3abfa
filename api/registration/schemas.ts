import { z } from 'zod';
import { REPORTING_AREAS, UNIT_TYPES } from '../../workflows/messages';
import { text } from '../text';

const phone = text(20).regex(/^\+?[0-9][0-9 ()-]{7,18}[0-9]$/, 'Numer telefonu, np. 41 342 12 34 lub +48 41 342 12 34');

export const terytCode = text(7)
  .regex(/^\d{4}(\d{3})?$/, 'Kod TERYT: 7 cyfr dla gminy (z rodzajem gminy) lub 4 cyfry dla powiatu');

export const registrationBody = z
  .object({
    registerUnit: z.boolean().meta({ description: 'true: new unit and its first user; false: a new user of a registered unit' }),
    unit: z.object({
      terytCode,
      type: z.enum(UNIT_TYPES),
      name: text(200),
      street: text(200),
      postalCode: text(6).regex(/^\d{2}-\d{3}$/, 'Kod pocztowy w formacie 00-000'),
      city: text(100),
      email: z.email('Niepoprawny adres e-mail').max(254),
      phone,
    }).strict(),
    applicant: z.object({
      firstName: text(100),
      lastName: text(100),
      position: text(200),
      email: z.email('Niepoprawny adres e-mail').max(254),
      phone,
    }).strict(),
    areas: z
      .array(z.enum(REPORTING_AREAS))
      .min(1, 'Wybierz co najmniej jeden obszar sprawozdawczy')
      .refine((a) => new Set(a).size === a.length, 'Obszary nie mogą się powtarzać'),
  })
  .strict();
