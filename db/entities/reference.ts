import { EntitySchema } from '@mikro-orm/core';

// Reference data: the TERYT TERC register of territorial units (db/reference.ts imports it).

export type UnitKind = 'voivodeship' | 'powiat' | 'gmina';

/** A territorial unit from TERYT TERC: voivodeship "02", powiat "0201", gmina "0201011" (with RODZ). */
export interface Unit {
  code: string;
  kind: UnitKind;
  name: string;
  nameExtra: string;
  voivodeship: string;
  powiat?: string | null;
  rodz?: string | null;
  validOn: string;
}

export const UnitSchema = new EntitySchema<Unit>({
  name: 'Unit',
  tableName: 'units',
  properties: {
    code: { type: 'string', length: 7, primary: true },
    kind: { type: 'string', length: 16, index: true },
    name: { type: 'string', length: 200 },
    nameExtra: { type: 'string', length: 200 },
    voivodeship: { type: 'string', length: 2, index: true },
    powiat: { type: 'string', length: 4, nullable: true },
    rodz: { type: 'string', length: 1, nullable: true },
    validOn: { type: 'string', columnType: 'date' },
  },
});
