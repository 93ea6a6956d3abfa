import type { Api } from '../http';
import type { ApiDeps } from '../deps';
import { canManageOffices, forbid } from '../access';
import { officeBody, officeParams, officeView } from './schemas';
import { listOffices, saveOffice } from './service';
import { z } from 'zod';

// seeds 000 and 004: the voivodeship offices' register as data; the ministry keeps it (the page
// /urzedy-wojewodzkie is the twin of the PUT).

export function registerOfficeRoutes(api: Api, { orm }: ApiDeps) {
  api.route(
    {
      method: 'get',
      path: '/api/voivodeship-offices',
      summary: 'The voivodeship offices: ePUAP box and social-policy mailbox for signed scans (seed 000), voivodeship CSIZS administrators (seed 004 Załącznik 5)',
      tag: 'reference',
      auth: 'public',
      responses: { 200: { description: 'The 16 offices', schema: z.array(officeView) } },
    },
    async ({ res }) => {
      res.json(await listOffices(orm.em.fork()));
    },
  );

  const save = api.action(
    {
      method: 'put',
      path: '/api/voivodeship-offices/:voivodeship',
      summary: "Change a voivodeship office's addresses (ministry)",
      tag: 'reference',
      auth: 'signed-in',
      audit: 'voivodeship_office_saved',
      params: officeParams,
      body: officeBody,
      responses: { 200: { description: 'Saved', schema: officeView } },
    },
    async ({ params, body, principal }) => {
      if (!canManageOffices(principal!)) forbid();
      return saveOffice(orm.em.fork(), params.voivodeship, body, principal!.login);
    },
  );
  return { save };
}
