import type { ActivityDeps } from './deps';
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
import { createReceiptActivities } from './receipts';
import { createDesignationActivities } from './designations';

export type { ActivityDeps } from './deps';

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
    ...createReceiptActivities(deps),
    ...createDesignationActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
