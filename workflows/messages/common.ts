import { defineSearchAttributeKey } from '@temporalio/common';

export const DEFAULT_TASK_QUEUE = 'obieg';

export const REPORTING_AREAS = ['PS', 'WRiSPZ', 'SR', 'FA', 'OP-3', 'ON', 'KDR', 'SW'] as const;
export type ReportingArea = (typeof REPORTING_AREAS)[number];

export const UNIT_TYPES = ['OPS', 'MOPS', 'MOPR', 'GOPS', 'PCPR', 'UG', 'UM', 'SP', 'INNA'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

export const SA = {
  caseType: defineSearchAttributeKey('ObiegCaseType', 'KEYWORD'),
  status: defineSearchAttributeKey('ObiegStatus', 'KEYWORD'),
  unit: defineSearchAttributeKey('ObiegUnit', 'KEYWORD'),
  voivodeship: defineSearchAttributeKey('ObiegVoivodeship', 'KEYWORD'),
  deadline: defineSearchAttributeKey('ObiegDeadline', 'DATETIME'),
  lateStep: defineSearchAttributeKey('ObiegLateStep', 'KEYWORD'),
};

/** The search attributes a case's workflow starts with: what the Temporal UI filters on. */
export function caseSearchAttributes(c: { caseType: string; unitCode: string; voivodeship: string; status?: string }) {
  return [
    { key: SA.caseType, value: c.caseType },
    { key: SA.unit, value: c.unitCode },
    { key: SA.voivodeship, value: c.voivodeship },
    ...(c.status ? [{ key: SA.status, value: c.status }] : []),
  ];
}
