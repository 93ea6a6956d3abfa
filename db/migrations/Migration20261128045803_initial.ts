import { Migration } from '@mikro-orm/migrations';

export class Migration20261128045803 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "accounts" ("id" uuid not null, "login" varchar(100) not null, "email" varchar(254) not null, "first_name" varchar(100) not null, "last_name" varchar(100) not null, "password_hash" text null, "must_change_password" boolean not null default true, "password_changed_at" timestamptz null, "status" varchar(16) not null default 'active', "created_at" timestamptz not null, "updated_at" timestamptz not null, constraint "accounts_pkey" primary key ("id"));`);
    this.addSql(`alter table "accounts" add constraint "accounts_login_unique" unique ("login");`);

    this.addSql(`create table "api_tokens" ("id" uuid not null, "account_id" uuid not null, "name" varchar(100) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, constraint "api_tokens_pkey" primary key ("id"));`);
    this.addSql(`create index "api_tokens_account_id_index" on "api_tokens" ("account_id");`);
    this.addSql(`alter table "api_tokens" add constraint "api_tokens_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "blobs" ("sha256" varchar(64) not null, "content" bytea not null, "size" int not null, "created_at" timestamptz not null, constraint "blobs_pkey" primary key ("sha256"));`);

    this.addSql(`create table "cases" ("id" varchar(200) not null, "type" varchar(40) not null, "status" varchar(40) not null, "unit_code" varchar(7) not null, "voivodeship" varchar(2) not null, "title" varchar(300) not null, "waiting_for" varchar(300) null, "deadline" timestamptz null, "data" jsonb not null default '{}', "run_id" varchar(64) not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "closed_at" timestamptz null, constraint "cases_pkey" primary key ("id"));`);
    this.addSql(`create index "cases_unit_code_index" on "cases" ("unit_code");`);
    this.addSql(`create index "cases_deadline_index" on "cases" ("deadline");`);
    this.addSql(`create index "cases_voivodeship_status_index" on "cases" ("voivodeship", "status");`);
    this.addSql(`create index "cases_type_status_index" on "cases" ("type", "status");`);

    this.addSql(`create table "documents" ("id" varchar(250) not null, "case_id" varchar(200) not null, "kind" varchar(60) not null, "title" varchar(300) not null, "media_type" varchar(100) not null, "size" int not null, "sha256" varchar(64) not null, "filename" varchar(255) not null, "source" varchar(16) not null, "created_by" varchar(120) not null, "created_at" timestamptz not null, constraint "documents_pkey" primary key ("id"));`);
    this.addSql(`create index "documents_case_id_index" on "documents" ("case_id");`);

    this.addSql(`create table "case_events" ("id" bigserial primary key, "case_id" varchar(200) not null, "at" timestamptz not null, "actor" varchar(120) not null, "type" varchar(60) not null, "message" text not null, "data" jsonb not null default '{}', "idempotency_key" varchar(300) not null);`);
    this.addSql(`alter table "case_events" add constraint "case_events_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(`create index "case_events_case_id_at_index" on "case_events" ("case_id", "at");`);

    this.addSql(`create table "outbox" ("id" varchar(300) not null, "case_id" varchar(200) null, "recipient" varchar(254) not null, "subject" varchar(300) not null, "template" varchar(80) not null, "html" text null, "text" text null, "redacted" boolean not null default false, "status" varchar(16) not null, "attempts" int not null default 0, "last_error" text null, "message_id" varchar(300) not null, "created_at" timestamptz not null, "sent_at" timestamptz null, constraint "outbox_pkey" primary key ("id"));`);
    this.addSql(`create index "outbox_case_id_index" on "outbox" ("case_id");`);
    this.addSql(`create index "outbox_status_index" on "outbox" ("status");`);

    this.addSql(`create table "role_assignments" ("id" uuid not null, "account_id" uuid not null, "role" varchar(32) not null, "voivodeship" varchar(2) null, "unit_code" varchar(7) null, "area" varchar(16) null, "created_at" timestamptz not null, constraint "role_assignments_pkey" primary key ("id"));`);
    this.addSql(`create index "role_assignments_account_id_index" on "role_assignments" ("account_id");`);
    this.addSql(`alter table "role_assignments" add constraint "role_assignments_account_id_role_voivodeship_unit_0fad0_unique" unique nulls not distinct ("account_id", "role", "voivodeship", "unit_code", "area");`);

    this.addSql(`create table "tasks" ("id" varchar(250) not null, "case_id" varchar(200) not null, "kind" varchar(60) not null, "title" varchar(300) not null, "role" varchar(32) not null, "voivodeship" varchar(2) null, "unit_code" varchar(7) null, "due_at" timestamptz null, "status" varchar(16) not null, "outcome" varchar(40) null, "comment" text null, "completed_by" varchar(120) null, "completed_at" timestamptz null, "created_at" timestamptz not null, constraint "tasks_pkey" primary key ("id"));`);
    this.addSql(`create index "tasks_status_role_voivodeship_index" on "tasks" ("status", "role", "voivodeship");`);
    this.addSql(`create index "tasks_case_id_index" on "tasks" ("case_id");`);

    this.addSql(`create table "units" ("code" varchar(7) not null, "kind" varchar(16) not null, "name" varchar(200) not null, "name_extra" varchar(200) not null, "voivodeship" varchar(2) not null, "powiat" varchar(4) null, "rodz" varchar(1) null, "valid_on" date not null, constraint "units_pkey" primary key ("code"));`);
    this.addSql(`create index "units_kind_index" on "units" ("kind");`);
    this.addSql(`create index "units_voivodeship_index" on "units" ("voivodeship");`);
  }

}
