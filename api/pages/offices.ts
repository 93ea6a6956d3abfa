import type { Request, Router } from 'express';
import { canManageOffices, type Principal } from '../access';
import type { ApiDeps } from '../deps';
import type { Api } from '../http';
import type { PageTwins } from '../app';
import type { PageKit } from './campaigns';
import { listOffices } from '../offices/service';

// "Urzędy wojewódzkie": where units send signed scans (seed 000) and CSIZS notifications (seed 004
// Załącznik 5). Everyone signed in reads it; the ministry edits it through the twin of the API's PUT.

type PageReq = Request & { principal?: Principal };
/** Fields for the administrators' addresses on the page: the ones kept and a few empty ones. */
const ADMIN_FIELDS = 4;

export function registerOfficePages(router: Router, kit: PageKit, { orm }: Pick<ApiDeps, 'orm'>, api: Api, twins: PageTwins): void {
  const { render, requireSession } = kit;

  router.get('/urzedy-wojewodzkie', requireSession, async (req: PageReq, res) => {
    const offices = await listOffices(orm.em.fork());
    const editable = canManageOffices(req.principal!);
    render(req, res, 'offices', {
      editable,
      offices: offices.map((o) => ({
        ...o,
        formPath: `/urzedy-wojewodzkie/${o.voivodeship}`,
        adminFields: [...o.administratorEmails, ...Array<string>(Math.max(1, ADMIN_FIELDS - o.administratorEmails.length)).fill('')],
      })),
    });
  });

  api.form(router, twins.offices.save, {
    path: '/urzedy-wojewodzkie/:voivodeship',
    back: '/urzedy-wojewodzkie',
    ok: (o) => `Zapisano dane urzędu wojewódzkiego (województwo ${o.voivodeshipName ?? o.voivodeship})`,
  });
}
