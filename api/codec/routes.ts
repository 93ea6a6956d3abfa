import type { RequestHandler } from 'express';
import express from 'express';
import { z } from 'zod';
import type { Payload } from '@temporalio/common';
import { dataConverter } from '../../lib/temporal';
import type { Config } from '../../lib/config';
import { canUsePayloadCodec, forbid } from '../access';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';
import type { Api } from '../http';

// Temporal's remote codec protocol, so the Temporal Web UI and the `temporal` CLI show a case's history in
// plain text: POST /codec/decode (and /codec/encode, for a query or update typed in the CLI) with
// {payloads: [{metadata: {k: base64}, data: base64}]}, answered in the same shape. Only for the roles that may
// read every case's data (GRANTS 'codec'), signed in by session (the UI, with cross-origin credentials) or
// API token (the CLI's --codec-auth 'Bearer obg_…'); every call is one audit row.

const b64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, 'oczekiwano base64');
const payloadJson = z.object({ metadata: z.record(z.string().regex(/^[A-Za-z0-9_-]{1,100}$/, 'nieprawidłowy klucz metadanych'), b64).optional(), data: b64.optional() });
const payloadsBody = z.object({ payloads: z.array(payloadJson).max(10_000) });
type PayloadJson = z.infer<typeof payloadJson>;

const fromJson = (p: PayloadJson): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): PayloadJson => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')])),
  data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
});

/** The UI's origin: the only one a browser may call the codec from (CODEC_CORS_ORIGIN, else the UI's). */
export const codecOrigin = (config: Pick<Config, 'CODEC_CORS_ORIGIN' | 'TEMPORAL_UI_URL'>): string => config.CODEC_CORS_ORIGIN ?? new URL(config.TEMPORAL_UI_URL).origin;

/**
 * Before the API's own body parser: CORS for the UI's origin only (with credentials, so the obieg session
 * cookie goes along) and a body limit fit for workflow histories (Temporal's payloads go up to 2 MB each).
 */
export function codecMiddleware(config: Pick<Config, 'CODEC_CORS_ORIGIN' | 'TEMPORAL_UI_URL'>): RequestHandler[] {
  const origin = codecOrigin(config);
  const cors: RequestHandler = (req, res, next) => {
    res.vary('Origin');
    if (req.get('origin') === origin) {
      res.set('Access-Control-Allow-Origin', origin);
      res.set('Access-Control-Allow-Credentials', 'true');
      if (req.method === 'OPTIONS') {
        res.set('Access-Control-Allow-Methods', 'POST');
        res.set('Access-Control-Allow-Headers', 'Content-Type, Authorization, X-Namespace');
        res.set('Access-Control-Max-Age', '600');
        return void res.status(204).end();
      }
    } else if (req.method === 'OPTIONS') {
      return void res.status(403).end();
    }
    next();
  };
  return [cors, express.json({ limit: '8mb' })];
}

export function registerCodecRoutes(api: Api, { config }: ApiDeps): void {
  // The key ring: decodes under any key of it (a history sealed before a rotation too), encodes under the active one.
  const codec = dataConverter(config.PAYLOAD_KEYRING).payloadCodecs![0];
  const namespaceOk = (header: string | undefined) => {
    if (header !== undefined && header !== config.TEMPORAL_NAMESPACE) {
      throw new HttpError(400, 'WRONG_NAMESPACE', `Ten serwer kodeka obsługuje tylko przestrzeń nazw ${config.TEMPORAL_NAMESPACE}, a nie ${header}`);
    }
  };
  for (const op of ['decode', 'encode'] as const) {
    api.action(
      {
        method: 'post',
        path: `/codec/${op}`,
        summary: op === 'decode' ? 'Remote codec: unseal workflow payloads for the Temporal UI and CLI' : 'Remote codec: seal payloads the Temporal CLI sends',
        tag: 'system',
        auth: 'signed-in',
        audit: `codec.${op}`,
        // The Temporal UI calls from its own origin with the session cookie and cannot send our CSRF token;
        // a JSON body from another origin needs a CORS preflight, which only the UI's origin passes.
        csrf: 'json-preflight',
        body: payloadsBody,
        responses: { 200: { description: op === 'decode' ? 'The payloads in plain form' : 'The payloads sealed', schema: payloadsBody } },
      },
      async ({ body, principal, req }) => {
        if (!canUsePayloadCodec(principal!)) forbid();
        namespaceOk(req.get('x-namespace'));
        const payloads = body.payloads.map(fromJson);
        if (op === 'encode') return { payloads: (await codec.encode(payloads)).map(toJson) };
        // A payload sealed with a key this process does not hold stays as it is (the UI shows it sealed).
        const out = await Promise.all(payloads.map(async (p) => (await codec.decode([p]).catch(() => [p]))[0]));
        return { payloads: out.map(toJson) };
      },
    );
  }
}
