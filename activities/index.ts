import type { MikroORM } from '@mikro-orm/postgresql';
import type { Client } from '@temporalio/client';
import type { BrowserProvider } from '../lib/browser';
import type { Mailer } from '../lib/mailer';
import type { Templates } from '../lib/templates';
import { createAccountActivities, createAccountMaintenanceActivities } from './accounts';
import { createCaseActivities } from './cases';
import { createCsizsActivities } from './csizs';
import { createCsizsStartActivities } from './csizs-starts';
import { createDataRequestActivities } from './data-requests';
import { createDocumentActivities } from './documents';
import { createIdentityMergeActivities } from './identity-merge';
import { createMailActivities, createMailResendActivities } from './mail';
import { createPermissionActivities } from './permissions';
import { createReportActivities } from './reports';

export interface ActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  browser: BrowserProvider;
  templates: Templates;
  mailFrom: string;
  publicUrl: string;
  /** For activities that start workflows (report and CSIZS campaigns). */
  temporal?: Client;
  /** The payload key (base64): the secret store (lib/secret-store.ts) derives its key from it. */
  secretKey?: string;
}

export function createActivities(deps: ActivityDeps) {
  const mailDeps = { orm: deps.orm, mailer: deps.mailer, templates: deps.templates, from: deps.mailFrom, publicUrl: deps.publicUrl };
  return {
    ...createCaseActivities(deps),
    ...createDocumentActivities(deps),
    ...createMailActivities(mailDeps),
    ...createMailResendActivities(mailDeps),
    ...createAccountActivities(mailDeps),
    ...createAccountMaintenanceActivities(mailDeps),
    ...createIdentityMergeActivities(mailDeps),
    ...createPermissionActivities(mailDeps),
    ...createReportActivities(deps),
    ...createDataRequestActivities(deps),
    ...createCsizsActivities(deps),
    ...createCsizsStartActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
