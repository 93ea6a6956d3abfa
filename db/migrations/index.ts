import { Migration20261128045803 } from './Migration20261128045803_initial';
import { Migration20261128052835 } from './Migration20261128052835_accounts_sessions_audit';
import { Migration20261128060000 } from './Migration20261128060000_task_claims';
import { Migration20261128070100 } from './Migration20261128070100_csizs';
import { Migration20261128070000 } from './Migration20261128070000_reporting';
import { Migration20261128080000 } from './Migration20261128080000_csizs_documents_secrets';
import { Migration20261128081500 } from './Migration20261128081500_report_data_requests';
import { Migration20261128083000 } from './Migration20261128083000_report_form_active';
import { Migration20261128090000 } from './Migration20261128090000_dashboard_speed';
import { Migration20261128100000 } from './Migration20261128100000_case_list_speed';
import { Migration20261205100000 } from './Migration20261205100000_abuse_resistance';
import { Migration20261205110000 } from './Migration20261205110000_case_attention';
import { Migration20261205130000 } from './Migration20261205130000_seeds_data';
import { Migration202612051700 } from './Migration202612051700_unit_pages';
import { Migration20261205180000 } from './Migration20261205180000_letters';

// Every migration, in order. Listed explicitly so compiled and TypeScript runs load the same set.
export const migrationsList = [
  { name: 'Migration20261128045803_initial', class: Migration20261128045803 },
  { name: 'Migration20261128052835_accounts_sessions_audit', class: Migration20261128052835 },
  { name: 'Migration20261128060000_task_claims', class: Migration20261128060000 },
  { name: 'Migration20261128070000_reporting', class: Migration20261128070000 },
  { name: 'Migration20261128070100_csizs', class: Migration20261128070100 },
  { name: 'Migration20261128080000_csizs_documents_secrets', class: Migration20261128080000 },
  { name: 'Migration20261128081500_report_data_requests', class: Migration20261128081500 },
  { name: 'Migration20261128083000_report_form_active', class: Migration20261128083000 },
  { name: 'Migration20261128090000_dashboard_speed', class: Migration20261128090000 },
  { name: 'Migration20261128100000_case_list_speed', class: Migration20261128100000 },
  { name: 'Migration20261205100000_abuse_resistance', class: Migration20261205100000 },
  { name: 'Migration20261205110000_case_attention', class: Migration20261205110000 },
  { name: 'Migration20261205130000_seeds_data', class: Migration20261205130000 },
  { name: 'Migration202612051700_unit_pages', class: Migration202612051700 },
  { name: 'Migration20261205180000_letters', class: Migration20261205180000 },
];
