import { Migration } from '@mikro-orm/migrations';

// Issue 14 item 2: a case that needs an operator (its workflow failed, or an activity keeps failing) is
// marked, with a reason free of personal data; the case list filters on it and the overview counts it.
export class Migration20261205110000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "cases" add column "attention_reason" varchar(300) null, add column "attention_at" timestamptz null;`);
    this.addSql(`create index "cases_attention_at_index" on "cases" ("attention_at") where "attention_at" is not null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "cases_attention_at_index";`);
    this.addSql(`alter table "cases" drop column "attention_reason", drop column "attention_at";`);
  }
}
