import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { TEMPLATES_DIR } from '../lib/paths';

// Security headers on every answer, pages and API alike (helmet): a strict Content-Security-Policy
// (pages run no script at all; the one style sheet is the layout's <style>, allowed by its hash; style
// attributes only set widths of bars), no framing, nosniff, no referrer sent to other sites.

/** The CSP hash of the layout's <style> element, as the browser computes it over the element's text. */
export function layoutStyleHash(): string {
  const layout = readFileSync(join(TEMPLATES_DIR, 'partials', 'layout.hbs'), 'utf8');
  const m = /<style>([\s\S]*?)<\/style>/.exec(layout);
  if (!m) throw new Error('templates/partials/layout.hbs has no <style> element');
  return `'sha256-${createHash('sha256').update(m[1], 'utf8').digest('base64')}'`;
}

export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        scriptSrc: ["'none'"],
        styleSrcElem: [layoutStyleHash()],
        styleSrcAttr: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        baseUri: ["'none'"],
        objectSrc: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'same-origin' },
    crossOriginEmbedderPolicy: false,
    // Plain http on a developer's machine must keep working; HSTS belongs to the TLS proxy in front.
    strictTransportSecurity: false,
  });
}
