import { Migration } from '@mikro-orm/migrations';

// seed 004 pkt 2b and 9: the unit's local administrator gives the unit's staff roles of the information
// portal (PIU, "Czytelnik PIU – obszar …"); one row per person, unit and role. And the report page's
// keeping of what a person typed when their session had ended before "Zapisz" (report_page_stash).
export class Migration202612051700 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "piu_roles" ("account_id" uuid not null, "unit_code" varchar(7) not null, "role" varchar(16) not null, "granted_by" varchar(120) not null, "granted_at" timestamptz not null, constraint "piu_roles_pkey" primary key ("account_id", "unit_code", "role"));`);
    this.addSql(`create index "piu_roles_unit_code_index" on "piu_roles" ("unit_code");`);
    this.addSql(`create table "report_page_stash" ("account_id" uuid not null, "report_id" varchar(200) not null, "content" jsonb not null, "stashed_at" timestamptz not null, constraint "report_page_stash_pkey" primary key ("account_id", "report_id"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_page_stash";`);
    this.addSql(`drop table if exists "piu_roles";`);
  }
}
