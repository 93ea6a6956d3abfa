import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { ReportingArea } from './common';
import type { RegistrationDecision } from './registration';

// ---- Permission extension (seed 000 "Wnioskuj o rozszerzenie uprawnień") ----

/** What is asked for: staff rights in one reporting area of one unit (gmina 7 digits or powiat 4). */
export interface PermissionTarget {
  unitCode: string;
  area: ReportingArea;
}

export interface PermissionPolicy {
  reminderAfterDays: number[];
  expireAfterDays: number;
}

export interface PermissionRequestInput {
  caseId: string;
  /** The requester: the account that receives the role on acceptance. */
  accountId: string;
  requesterLogin: string;
  target: PermissionTarget;
  /** Of the target unit: its voivodeship administrators decide. */
  voivodeship: string;
  unitName: string;
  justification: string | null;
  policy: PermissionPolicy;
}

export type PermissionStatus = 'awaiting_decision' | 'granted' | 'rejected' | 'expired';

export const PERMISSION_CLOSED: PermissionStatus[] = ['granted', 'rejected', 'expired'];

/** Same payload as every decision task (api/task-kinds.ts). */
export type PermissionDecision = RegistrationDecision;

export interface PermissionRequestView {
  status: PermissionStatus;
  deadline: string | null;
  remindersSent: number;
  openTaskId: string | null;
  target: PermissionTarget;
}

export const getPermissionRequestStatus = defineQuery<PermissionRequestView>('getStatus');
export const decidePermissionRequest = defineUpdate<PermissionRequestView, [PermissionDecision]>('decidePermissionRequest');
/** The human task that decidePermissionRequest completes. */
export const PERMISSION_DECISION_TASK_KIND = 'permission-decision';

/** The business key: one open request per account and grant, so a repeated request finds the open case. */
export const permissionRequestWorkflowId = (accountId: string, target: PermissionTarget) =>
  `permission-${accountId}-${target.unitCode}-${target.area}`;
