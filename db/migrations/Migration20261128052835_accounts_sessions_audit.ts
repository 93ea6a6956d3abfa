import { Migration } from '@mikro-orm/migrations';

export class Migration20261128052835 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "audit_log" ("id" bigserial primary key, "at" timestamptz not null, "actor" varchar(120) not null, "account_id" uuid null, "action" varchar(80) not null, "target" varchar(300) null, "outcome" varchar(16) not null, "status" int null, "ip" varchar(64) null, "detail" jsonb not null default '{}');`);
    this.addSql(`create index "audit_log_at_index" on "audit_log" ("at");`);
    this.addSql(`create index "audit_log_account_id_at_index" on "audit_log" ("account_id", "at");`);

    this.addSql(`create table "sessions" ("id" varchar(64) not null, "account_id" uuid not null, "csrf_token" varchar(64) not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "ended_at" timestamptz null, "end_reason" varchar(32) null, constraint "sessions_pkey" primary key ("id"));`);
    this.addSql(`create index "sessions_account_id_index" on "sessions" ("account_id");`);
    this.addSql(`create index "sessions_ended_at_last_seen_at_index" on "sessions" ("ended_at", "last_seen_at");`);

    this.addSql(`alter table "accounts" add column "failed_logins" int not null default 0, add column "locked_until" timestamptz null, add column "merged_into" uuid null;`);

    this.addSql(`alter table "cases" add column "account_id" uuid null;`);
    this.addSql(`create index "cases_account_id_index" on "cases" ("account_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "audit_log" cascade;`);

    this.addSql(`drop table if exists "sessions" cascade;`);

    this.addSql(`alter table "accounts" drop column "failed_logins", drop column "locked_until", drop column "merged_into";`);

    this.addSql(`drop index "cases_account_id_index";`);
    this.addSql(`alter table "cases" drop column "account_id";`);
  }

}
