import type { Router } from 'express';
import { openedViaLabel } from '../../domain/letters';
import type { Principal } from '../access';
import type { ApiDeps } from '../deps';
import type { Api } from '../http';
import type { PageTwins } from '../app';
import { openLetter, type LetterDeps } from '../letters/service';
import type { PageKit } from './campaigns';

// seed 003 (UWAGI, "elektroniczne poświadczenie odbioru pisma"): a letter's page. Signed in, its addressee
// opens it by looking at it; through the mail's link without a session the page first asks to open it
// (a form, the twin of POST /api/letters/:letterId/opening), so that nothing but a person confirms it.

const enc = encodeURIComponent;

export function registerLetterPages(router: Router, kit: PageKit, { orm, temporal, config, log }: ApiDeps, api: Api, twins: PageTwins): void {
  const deps: LetterDeps = { orm, temporal, taskQueue: config.TEMPORAL_TASK_QUEUE, log };

  router.get('/pisma/:letterId', async (req: Parameters<PageKit['render']>[0], res) => {
    const letterId = String(req.params.letterId);
    const key = typeof req.query.k === 'string' ? req.query.k : undefined;
    const p: Principal | null = await api.authenticate(req).catch(() => null);
    const principal = p?.via === 'session' ? p : null;
    if (principal?.mustChangePassword) return res.redirect('/haslo');
    if (!principal && !key) return res.redirect(`/logowanie?powrot=${enc(req.originalUrl)}`);
    req.principal = principal ?? undefined;
    if (!/^[0-9a-f]{32}$/.test(letterId)) return kit.render(req, res, 'error', { title: 'Nie ma takiego pisma', message: 'Nie ma takiego pisma albo odnośnik jest niepełny.' }, 404);
    const letter = await openLetter(deps, { letterId, principal, key, peek: !principal });
    kit.render(req, res, 'letter', {
      l: { ...letter, opened: letter.opened && { ...letter.opened, viaLabel: openedViaLabel(letter.opened.via) } },
      key,
      ask: !principal && !letter.opened,
    });
  });

  api.form(router, twins.letters.open, {
    path: '/pisma/:letterId',
    back: (req) => `/pisma/${enc(String(req.params.letterId))}${typeof req.body?.key === 'string' ? `?k=${enc(req.body.key)}` : ''}`,
    ok: (r) => (r.openedNow ? 'Pismo otwarte: nadawca otrzyma urzędowe poświadczenie doręczenia z datą i godziną otwarcia.' : 'Pismo było już otwarte.'),
  });
}
