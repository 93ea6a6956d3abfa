import { Migration } from '@mikro-orm/migrations';

// Issue 14 item 4. `rate_limits`: the store of rate-limiter-flexible's RateLimiterPostgres (its own
// layout), shared by every API process. `password_reminders`: single-use links of the password
// reminder; only the SHA-256 of the link's token is stored.
export class Migration20261205100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "rate_limits" ("key" varchar(255) not null, "points" integer not null default 0, "expire" bigint null, constraint "rate_limits_pkey" primary key ("key"));`);
    this.addSql(
      `create table "password_reminders" ("id" uuid not null, "account_id" uuid not null references "accounts" ("id"), "workflow_id" varchar(200) not null, "token_hash" varchar(64) not null, "created_at" timestamptz not null default now(), "expires_at" timestamptz not null, "used_at" timestamptz null, constraint "password_reminders_pkey" primary key ("id"), constraint "password_reminders_token_hash_unique" unique ("token_hash"), constraint "password_reminders_workflow_id_unique" unique ("workflow_id"));`,
    );
    this.addSql(`create index "password_reminders_account_id_index" on "password_reminders" ("account_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table "password_reminders";`);
    this.addSql(`drop table "rate_limits";`);
  }
}
