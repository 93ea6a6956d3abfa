import type { EntityManager } from '@mikro-orm/postgresql';

// The TERC units' names, held in memory by the API: the case list shows a name beside every unit code
// and searches units by name on most requests, and the register changes about once a year (db:terc).
// A list reads at most TTL_MS-old names; an empty register is never kept, so a fresh database that
// imports TERC after the first request is seen at once.

const TTL_MS = 5 * 60_000;
/** The longest list of units a name search hands to the case query. */
export const NAMED_UNITS_LIMIT = 500;

export interface UnitDirectory {
  /** Units in the register. */
  size: number;
  /** The 16 voivodeships in code order, their names as a heading writes them ("Mazowieckie"). */
  voivodeships: Map<string, string>;
  name(code: string): string | null;
  /** Codes of gminas and powiats whose name contains `q`, case-insensitively, in code order. */
  codesNamed(q: string): string[];
}

interface Entry {
  at: number;
  dir: Promise<UnitDirectory>;
}
const cache = new WeakMap<object, Entry>();

async function load(em: EntityManager): Promise<UnitDirectory> {
  const rows = await em.execute<{ code: string; kind: string; name: string }[]>('select code, kind, name from units order by code');
  const names = new Map(rows.map((r) => [r.code, r.name]));
  const searches = new Map<string, string[]>();
  const searchable = rows.filter((r) => r.kind !== 'voivodeship').map((r) => ({ code: r.code, key: r.name.toLowerCase() }));
  const voivodeships = new Map(rows.filter((r) => r.kind === 'voivodeship').map((r) => [r.code, r.name.charAt(0) + r.name.slice(1).toLowerCase()]));
  return {
    size: rows.length,
    voivodeships,
    name: (code) => names.get(code) ?? null,
    codesNamed(q) {
      const needle = q.toLowerCase();
      let out = searches.get(needle);
      if (!out) {
        out = [];
        for (const u of searchable) {
          if (u.key.includes(needle)) out.push(u.code);
          if (out.length === NAMED_UNITS_LIMIT) break;
        }
        // The searches people repeat (paging, sorting one result) are answered from here.
        if (searches.size >= 1000) searches.clear();
        searches.set(needle, out);
      }
      return out;
    },
  };
}

/** The directory for this database (one per ORM), loaded on first use and again after TTL_MS. */
export function unitDirectory(em: EntityManager): Promise<UnitDirectory> {
  const key = em.getDriver();
  const hit = cache.get(key);
  if (hit && Date.now() - hit.at < TTL_MS) return hit.dir;
  const entry: Entry = { at: Date.now(), dir: load(em.fork()) };
  cache.set(key, entry);
  entry.dir.then(
    (d) => {
      // Nothing imported yet: ask again next time rather than show no names for TTL_MS.
      if (d.size === 0 && cache.get(key) === entry) cache.delete(key);
    },
    () => cache.get(key) === entry && cache.delete(key),
  );
  return entry.dir;
}
