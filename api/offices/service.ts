import type { EntityManager } from '@mikro-orm/postgresql';
import { VoivodeshipOfficeSchema, type VoivodeshipOffice } from '../../db/entities';
import { unitDirectory } from '../system/unit-directory';
import type { OfficeView } from './schemas';

// The register of voivodeship offices: read by everyone (where to send a signed scan), changed by the ministry.

const viewOf = (o: VoivodeshipOffice, names: Map<string, string>): OfficeView => ({
  voivodeship: o.voivodeship,
  voivodeshipName: names.get(o.voivodeship) ?? null,
  name: o.name,
  epuapBox: o.epuapBox,
  socialPolicyEmail: o.socialPolicyEmail,
  administratorEmails: [...(o.administratorEmails ?? [])],
  postalAddress: o.postalAddress,
  updatedBy: o.updatedBy,
  updatedAt: o.updatedAt.toISOString(),
});

export async function listOffices(em: EntityManager): Promise<OfficeView[]> {
  const names = (await unitDirectory(em)).voivodeships;
  const rows = await em.find(VoivodeshipOfficeSchema, {}, { orderBy: { voivodeship: 'asc' } });
  return rows.map((o) => viewOf(o, names));
}

export async function officeOf(em: EntityManager, voivodeship: string): Promise<OfficeView | null> {
  const o = await em.findOne(VoivodeshipOfficeSchema, { voivodeship });
  return o ? viewOf(o, (await unitDirectory(em)).voivodeships) : null;
}

export async function saveOffice(
  em: EntityManager,
  voivodeship: string,
  data: Pick<VoivodeshipOffice, 'name' | 'epuapBox' | 'socialPolicyEmail' | 'administratorEmails' | 'postalAddress'>,
  by: string,
): Promise<OfficeView> {
  let o = await em.findOne(VoivodeshipOfficeSchema, { voivodeship });
  if (!o) {
    o = em.create(VoivodeshipOfficeSchema, { voivodeship, ...data, updatedBy: by } as VoivodeshipOffice);
  } else {
    em.assign(o, { ...data, updatedBy: by });
  }
  await em.flush();
  return viewOf(o, (await unitDirectory(em)).voivodeships);
}

/** Where the unit's applicant sends the signed scan (seed 000), as the registration answer states it. */
export function sendScanTo(o: OfficeView | null): { office: string | null; epuapBox: string | null; email: string | null; instructions: string } {
  const office = o?.name ?? null;
  const box = o?.epuapBox ? `przez ePUAP na adres skrytki ${o.epuapBox}` : 'przez ePUAP na adres skrytki urzędu wojewódzkiego';
  const mail = o?.socialPolicyEmail ? `pocztą e-mail na adres ${o.socialPolicyEmail}` : 'pocztą e-mail do wydziału polityki społecznej urzędu wojewódzkiego';
  return {
    office,
    epuapBox: o?.epuapBox ?? null,
    email: o?.socialPolicyEmail ?? null,
    instructions: `Wydrukuj formularz rejestracyjny (przyszedł pocztą e-mail), daj go do podpisu kierownikowi jednostki i prześlij skan ${box}${office ? ` (${office})` : ''} albo ${mail}. Bez podpisanego skanu wniosek nie zostanie przyjęty.`,
  };
}
