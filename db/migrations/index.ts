import { Migration20261128045803 } from './Migration20261128045803_initial';
import { Migration20261128052835 } from './Migration20261128052835_accounts_sessions_audit';

// Every migration, in order. Listed explicitly so compiled and TypeScript runs load the same set.
export const migrationsList = [
  { name: 'Migration20261128045803_initial', class: Migration20261128045803 },
  { name: 'Migration20261128052835_accounts_sessions_audit', class: Migration20261128052835 },
];
