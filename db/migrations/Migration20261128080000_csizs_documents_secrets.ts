import { Migration } from '@mikro-orm/migrations';

// seed 004: the connection notification (Załącznik 2) and its review, the information package
// (Załącznik 3) and its password hand-over, the local administrator's account and password change;
// a short-lived store for sealed secrets that must stay out of workflow history.
export class Migration20261128080000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "csizs_units" add column "notification_status" varchar(20) null, add column "notification_document_id" varchar(250) null, add column "notification_scan_id" varchar(250) null, add column "notification_reason" text null, add column "local_admin_account_id" varchar(36) null, add column "package_document_id" varchar(250) null, add column "package_sent_at" timestamptz null, add column "password_changed_at" timestamptz null;`);
    this.addSql(`create index "csizs_units_local_admin_account_id_index" on "csizs_units" ("local_admin_account_id");`);
    this.addSql(`create table "secrets" ("id" varchar(200) not null, "purpose" varchar(40) not null, "owner" varchar(200) not null, "sealed" bytea not null, "expires_at" timestamptz not null, "read_at" timestamptz null, "created_at" timestamptz not null, constraint "secrets_pkey" primary key ("id"));`);
    this.addSql(`create index "secrets_owner_index" on "secrets" ("owner");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "secrets" cascade;`);
    this.addSql(`alter table "csizs_units" drop column "notification_status", drop column "notification_document_id", drop column "notification_scan_id", drop column "notification_reason", drop column "local_admin_account_id", drop column "package_document_id", drop column "package_sent_at", drop column "password_changed_at";`);
  }

}
