import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { BrowserProvider } from '../lib/browser';
import type { Mailer } from '../lib/mailer';
import type { Templates } from '../lib/templates';
import type { KeyRing } from '../lib/payload-codec';

// What the worker gives the activity factories (worker/main.ts). Activity modules import this file or
// each other directly, never ./index, which imports all of them.

export interface ActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  browser: BrowserProvider;
  templates: Templates;
  mailFrom: string;
  publicUrl: string;
  /** For activities that start workflows (report and CSIZS campaigns). */
  temporal?: Client;
  /** The payload key ring (or one key, base64): the secret store (lib/secret-store.ts) derives its keys from it. */
  secretKey?: KeyRing | string;
}
