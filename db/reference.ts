import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REFERENCE_DIR } from '../lib/paths';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Unit, UnitKind } from './entities';

export const TERC_FILE = join(REFERENCE_DIR, 'TERC_2020-01-01.csv');

/**
 * Parses GUS TERYT TERC (columns WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA). Rows with RODZ 4/5/8/9 are
 * parts of a gmina or city districts, not units, and are left out: 16 + 380 + 2,477 units remain.
 */
export function parseTerc(csv: string): Unit[] {
  const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/).filter((l) => l.trim() !== '');
  const header = lines.shift();
  if (header !== 'WOJ;POW;GMI;RODZ;NAZWA;NAZWA_DOD;STAN_NA') throw new Error(`unexpected TERC header: ${header}`);
  const units: Unit[] = [];
  for (const [i, line] of lines.entries()) {
    const cols = line.split(';');
    if (cols.length !== 7) throw new Error(`TERC line ${i + 2}: expected 7 columns, got ${cols.length}`);
    const [woj, pow, gmi, rodz, name, nameExtra, validOn] = cols;
    let kind: UnitKind;
    let code: string;
    if (!pow) {
      kind = 'voivodeship';
      code = woj;
    } else if (!gmi) {
      kind = 'powiat';
      code = woj + pow;
    } else if (['1', '2', '3'].includes(rodz)) {
      kind = 'gmina';
      code = woj + pow + gmi + rodz;
    } else {
      continue;
    }
    units.push({
      code,
      kind,
      name,
      nameExtra,
      voivodeship: woj,
      powiat: pow ? woj + pow : null,
      rodz: kind === 'gmina' ? rodz : null,
      validOn,
    });
  }
  return units;
}

/** Upserts the register in one statement: running it again changes nothing. */
export async function importTerc(orm: MikroORM, file = TERC_FILE): Promise<{ voivodeships: number; powiats: number; gminas: number }> {
  const units = parseTerc(readFileSync(file, 'utf8'));
  // One JSON parameter: the driver would expand plain arrays into value lists.
  await orm.em.fork().getConnection().execute(
    `insert into units (code, kind, name, name_extra, voivodeship, powiat, rodz, valid_on)
     select code, kind, name, name_extra, voivodeship, powiat, rodz, valid_on
     from json_to_recordset(?::json) as t(code text, kind text, name text, name_extra text, voivodeship text, powiat text, rodz text, valid_on date)
     on conflict (code) do update set kind = excluded.kind, name = excluded.name, name_extra = excluded.name_extra,
       voivodeship = excluded.voivodeship, powiat = excluded.powiat, rodz = excluded.rodz, valid_on = excluded.valid_on`,
    [JSON.stringify(units.map((u) => ({ code: u.code, kind: u.kind, name: u.name, name_extra: u.nameExtra, voivodeship: u.voivodeship, powiat: u.powiat, rodz: u.rodz, valid_on: u.validOn })))],
  );
  const count = (k: UnitKind) => units.filter((u) => u.kind === k).length;
  return { voivodeships: count('voivodeship'), powiats: count('powiat'), gminas: count('gmina') };
}
