import type { Api } from '../http';
import type { ApiDeps } from '../deps';
import { letterParams, letterQuery, letterView, openingBody } from './schemas';
import { openLetter, type LetterDeps } from './service';

// seed 003 (UWAGI, "elektroniczne poświadczenie odbioru pisma"): a letter of the office read through the
// API. Its addressee's first reading is the opening the sender gets confirmed (api/letters/service.ts);
// the page /pisma/:letterId and its form run the same service.

export function registerLetterRoutes(api: Api, { orm, temporal, config, log }: ApiDeps) {
  const deps: LetterDeps = { orm, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, log };

  api.route(
    {
      method: 'get',
      path: '/api/letters/:letterId',
      summary: "A letter of the office: its addressee's first reading records the opening and starts the delivery confirmation (UPD, seed 003); its sender reads it without recording anything",
      tag: 'letters',
      auth: 'signed-in',
      params: letterParams,
      query: letterQuery,
      responses: { 200: { description: 'The letter, its opening and confirmation', schema: letterView } },
    },
    async ({ params, query, principal, res }) => {
      res.json(await openLetter(deps, { letterId: params.letterId, principal, key: query.k }));
    },
  );

  const open = api.action(
    {
      method: 'post',
      path: '/api/letters/:letterId/opening',
      summary: "Open a letter with the key of its mail's link (no sign-in needed), or signed in as its addressee; recorded the first time (seed 003)",
      tag: 'letters',
      auth: 'public',
      audit: 'letter_opened',
      params: letterParams,
      body: openingBody,
      responses: { 200: { description: 'The letter, its opening and confirmation', schema: letterView } },
    },
    async ({ params, body, principal }) => openLetter(deps, { letterId: params.letterId, principal, key: body.key }),
  );
  return { open };
}
