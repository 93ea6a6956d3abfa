import { Migration } from '@mikro-orm/migrations';

// Dashboards: a task offered to a role and scope can be claimed by one person and released.
export class Migration20261128060000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "tasks" add column "claimed_by" varchar(120) null, add column "claimed_at" timestamptz null;`);
    this.addSql(`create index "cases_updated_at_index" on "cases" ("updated_at");`);
    this.addSql(`create index "cases_status_deadline_index" on "cases" ("status", "deadline");`);
    // The overview counts per voivodeship and status from the index alone.
    this.addSql(`create index "cases_overview_index" on "cases" ("voivodeship", "status", "type") include ("closed_at", "deadline");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "cases_overview_index";`);
    this.addSql(`drop index "cases_status_deadline_index";`);
    this.addSql(`drop index "cases_updated_at_index";`);
    this.addSql(`alter table "tasks" drop column "claimed_by", drop column "claimed_at";`);
  }
}
