import { EntitySchema } from '@mikro-orm/core';
import { TimestampedSchema, type Timestamped } from './base';

// Where a unit sends what it signs: the voivodeship office of its voivodeship (seed 000: the office's
// ePUAP box and its social-policy department's mailbox; seed 004 Załącznik 5: the voivodeship
// administrators' e-mail addresses). Data, kept by the ministry (PUT /api/voivodeship-offices/:voivodeship).

export interface VoivodeshipOffice extends Timestamped {
  /** TERYT code of the voivodeship ("26"). */
  voivodeship: string;
  name: string | null;
  /** ePUAP box address, "/SUWKielce/SkrytkaESP". */
  epuapBox: string | null;
  /** The social-policy department's mailbox, "wps00@kielce.uw.gov.pl". */
  socialPolicyEmail: string | null;
  /** seed 004 Załącznik 5: the voivodeship administrators of CSIZS. */
  administratorEmails: string[];
  /** For paper (seed 004 pkt 2: the notification also goes on paper to the office). */
  postalAddress: string | null;
  updatedBy: string;
}

export const VoivodeshipOfficeSchema = new EntitySchema<VoivodeshipOffice, Timestamped>({
  name: 'VoivodeshipOffice',
  extends: TimestampedSchema,
  tableName: 'voivodeship_offices',
  properties: {
    voivodeship: { type: 'string', length: 2, primary: true },
    name: { type: 'string', length: 200, nullable: true },
    epuapBox: { type: 'string', length: 200, nullable: true },
    socialPolicyEmail: { type: 'string', length: 200, nullable: true },
    administratorEmails: { type: 'json', default: '[]' },
    postalAddress: { type: 'string', length: 300, nullable: true },
    updatedBy: { type: 'string', length: 120, default: 'migration' },
  },
});
