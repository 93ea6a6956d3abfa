import { Migration } from '@mikro-orm/migrations';

// seed 004: CSIZS connection campaigns, each unit's connection state, checkpoint call lists and calls.
export class Migration20261128070100 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "csizs_campaigns" ("id" varchar(80) not null, "name" varchar(200) not null, "area" varchar(16) not null, "calendar" jsonb not null, "plan" jsonb not null, "status" varchar(16) not null, "total_units" int not null default 0, "started_units" int not null default 0, "shard_progress" jsonb not null default '{}', "created_at" timestamptz not null, "started_at" timestamptz null, constraint "csizs_campaigns_pkey" primary key ("id"));`);

    this.addSql(`create table "csizs_units" ("campaign_id" varchar(80) not null, "unit_code" varchar(7) not null, "voivodeship" varchar(2) not null, "workflow_id" varchar(200) not null, "vendor" varchar(100) null, "current_step" varchar(40) null, "late_step" varchar(40) null, "completed" jsonb not null default '{}', "connected" boolean not null default false, "escalated_at" timestamptz null, "escalation_reason" text null, "escalation_by" varchar(120) null, "package_password_handed_over_at" timestamptz null, "updated_at" timestamptz not null, constraint "csizs_units_pkey" primary key ("campaign_id", "unit_code"));`);
    this.addSql(`create index "csizs_units_voivodeship_index" on "csizs_units" ("voivodeship");`);
    this.addSql(`create index "csizs_units_campaign_id_late_step_index" on "csizs_units" ("campaign_id", "late_step");`);

    this.addSql(`create table "csizs_checkpoints" ("campaign_id" varchar(80) not null, "unit_code" varchar(7) not null, "checkpoint" varchar(20) not null, "status" varchar(16) not null, "opened_at" timestamptz not null, "resolved_at" timestamptz null, constraint "csizs_checkpoints_pkey" primary key ("campaign_id", "unit_code", "checkpoint"));`);

    this.addSql(`create table "csizs_calls" ("id" varchar(200) not null, "campaign_id" varchar(80) not null, "unit_code" varchar(7) not null, "checkpoint" varchar(20) not null, "outcome" varchar(16) not null, "reason" text null, "called_by" varchar(120) not null, "called_at" timestamptz not null, constraint "csizs_calls_pkey" primary key ("id"));`);
    this.addSql(`create index "csizs_calls_campaign_id_unit_code_index" on "csizs_calls" ("campaign_id", "unit_code");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "csizs_calls" cascade;`);
    this.addSql(`drop table if exists "csizs_checkpoints" cascade;`);
    this.addSql(`drop table if exists "csizs_units" cascade;`);
    this.addSql(`drop table if exists "csizs_campaigns" cascade;`);
  }

}
