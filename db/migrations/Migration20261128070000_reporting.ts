import { Migration } from '@mikro-orm/migrations';

// Reporting calendar, campaigns, per-unit reports, submitted versions with receipts, and drafts (issue 5).
export class Migration20261128070000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "report_forms" ("code" varchar(40) not null, "name" varchar(300) not null, "area" varchar(16) not null, "unit_kind" varchar(16) not null, "period" varchar(16) not null, "due_rule" jsonb not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "report_forms_pkey" primary key ("code"));`);

    this.addSql(`create table "report_campaigns" ("id" varchar(120) not null, "form_code" varchar(40) not null, "period" varchar(40) not null, "due_date" date not null, "plan" jsonb not null, "unit_count" int not null, "created_by" varchar(120) not null, "created_at" timestamptz not null, constraint "report_campaigns_pkey" primary key ("id"));`);
    this.addSql(`create index "report_campaigns_form_code_index" on "report_campaigns" ("form_code");`);

    this.addSql(`create table "reports" ("id" varchar(200) not null, "campaign_id" varchar(120) not null, "form_code" varchar(40) not null, "period" varchar(40) not null, "unit_code" varchar(7) not null, "voivodeship" varchar(2) not null, "status" varchar(24) not null, "overdue" boolean not null default false, "due_date" date not null, "versions" int not null default 0, "updated_at" timestamptz not null, constraint "reports_pkey" primary key ("id"));`);
    this.addSql(`create index "reports_campaign_id_voivodeship_status_index" on "reports" ("campaign_id", "voivodeship", "status");`);
    this.addSql(`create index "reports_unit_code_index" on "reports" ("unit_code");`);

    this.addSql(`create table "report_versions" ("id" bigserial primary key, "report_id" varchar(200) not null, "version" int not null, "content" jsonb not null, "sha256" varchar(64) not null, "receipt_number" varchar(80) not null, "submitted_at" timestamptz not null, "submitted_by" varchar(120) not null);`);
    this.addSql(`alter table "report_versions" add constraint "report_versions_receipt_number_unique" unique ("receipt_number");`);
    this.addSql(`alter table "report_versions" add constraint "report_versions_report_id_version_unique" unique ("report_id", "version");`);

    this.addSql(`create table "report_drafts" ("id" bigserial primary key, "report_id" varchar(200) not null, "content" jsonb not null, "saved_at" timestamptz not null, "saved_by" varchar(120) not null, "idempotency_key" varchar(300) not null);`);
    this.addSql(`create index "report_drafts_report_id_index" on "report_drafts" ("report_id");`);
    this.addSql(`alter table "report_drafts" add constraint "report_drafts_idempotency_key_unique" unique ("idempotency_key");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_drafts" cascade;`);
    this.addSql(`drop table if exists "report_versions" cascade;`);
    this.addSql(`drop table if exists "reports" cascade;`);
    this.addSql(`drop table if exists "report_campaigns" cascade;`);
    this.addSql(`drop table if exists "report_forms" cascade;`);
  }

}
