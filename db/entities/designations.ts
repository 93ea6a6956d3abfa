import { EntitySchema } from '@mikro-orm/core';
import { createdAt } from './base';

/** seed 002 §I.4, §I.5, §II.5: the head's standing designation for a reporting area of the unit. */
export interface ReportAreaDesignation {
  unitCode: string;
  area: string;
  /** Logins. */
  responsible: string;
  substitute: string | null;
  /** Who takes over when both are absent (seed 002 §I.4: another department's head; §I.5: an authorised worker). */
  secondLevel: string | null;
  designatedBy: string;
  createdAt: Date;
  updatedAt: Date;
}

export const ReportAreaDesignationSchema = new EntitySchema<ReportAreaDesignation>({
  name: 'ReportAreaDesignation',
  tableName: 'report_area_designations',
  properties: {
    unitCode: { type: 'string', length: 7, primary: true },
    area: { type: 'string', length: 16, primary: true },
    responsible: { type: 'string', length: 120 },
    substitute: { type: 'string', length: 120, nullable: true },
    secondLevel: { type: 'string', length: 120, nullable: true },
    designatedBy: { type: 'string', length: 120 },
    createdAt: createdAt(),
    updatedAt: { type: 'Date', columnType: 'timestamptz', onCreate: () => new Date(), onUpdate: () => new Date() },
  },
});
