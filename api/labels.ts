import { REGISTRATION_STATUS_LABELS } from '../workflows/rules/registration';
import { PERMISSION_STATUS_LABELS } from '../workflows/rules/permission';
import { IDENTITY_MERGE_STATUS_LABELS } from '../workflows/rules/identity-merge';
import { REPORT_STATUS_LABELS } from '../workflows/rules/report';

// What pages show instead of internal codes: statuses by case type, where a document came from, sizes.

/** Each case type's statuses with their Polish labels, in the order of the process. */
export const CASE_STATUS_LABELS: Record<string, Record<string, string>> = {
  registration: REGISTRATION_STATUS_LABELS,
  permission: PERMISSION_STATUS_LABELS,
  'identity-merge': IDENTITY_MERGE_STATUS_LABELS,
  report: REPORT_STATUS_LABELS,
};

/** The status's label in its case type; with no type (a count over all types), the first type that has it. */
export const caseStatusLabel = (type: string | null, status: string): string =>
  (type ? CASE_STATUS_LABELS[type]?.[status] : undefined) ?? Object.values(CASE_STATUS_LABELS).find((l) => status in l)?.[status] ?? status;

/** Where a document came from (documents.source). */
export const DOCUMENT_SOURCE_LABELS: Record<string, string> = {
  epuap: 'ePUAP',
  email: 'e-mail',
  upload: 'przesłany plik',
  generated: 'wygenerowany przez system',
};

export const documentSourceLabel = (source: string): string => DOCUMENT_SOURCE_LABELS[source] ?? source;

const number = (n: number, digits: number) => n.toLocaleString('pl-PL', { maximumFractionDigits: digits, minimumFractionDigits: digits });

/** A file size as people read it: 512 B, 12,3 kB, 1,5 MB. */
export function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${number(bytes / 1024, 1)} kB`;
  return `${number(bytes / 1024 / 1024, 1)} MB`;
}
