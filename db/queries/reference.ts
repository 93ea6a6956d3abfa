import type { EntityManager } from '@mikro-orm/postgresql';

// Reference data (units) in raw SQL, for activities. Each function runs on `em.execute`, so it joins the
// transaction of the em it is given, as the activities did before.

/** The units of a kind, in code order. */
export function unitsOfKind(em: EntityManager, kind: string): Promise<{ code: string; name: string; name_extra: string; voivodeship: string }[]> {
  return em.execute<{ code: string; name: string; name_extra: string; voivodeship: string }[]>('select code, name, name_extra, voivodeship from units where kind = ? order by code', [kind]);
}
