import type { MikroORM } from '@mikro-orm/postgresql';
import type { BrowserProvider } from '../lib/browser';
import type { Mailer } from '../lib/mailer';
import type { Templates } from '../lib/templates';
import { createAccountActivities, createAccountMaintenanceActivities } from './accounts';
import { createCaseActivities } from './cases';
import { createDocumentActivities } from './documents';
import { createIdentityMergeActivities } from './identity-merge';
import { createMailActivities } from './mail';
import { createPermissionActivities } from './permissions';

export interface ActivityDeps {
  orm: MikroORM;
  mailer: Mailer;
  browser: BrowserProvider;
  templates: Templates;
  mailFrom: string;
  publicUrl: string;
}

export function createActivities(deps: ActivityDeps) {
  const mailDeps = { orm: deps.orm, mailer: deps.mailer, templates: deps.templates, from: deps.mailFrom, publicUrl: deps.publicUrl };
  return {
    ...createCaseActivities(deps),
    ...createDocumentActivities(deps),
    ...createMailActivities(mailDeps),
    ...createAccountActivities(mailDeps),
    ...createAccountMaintenanceActivities(mailDeps),
    ...createIdentityMergeActivities(mailDeps),
    ...createPermissionActivities(mailDeps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
