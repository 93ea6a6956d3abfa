import { Migration } from '@mikro-orm/migrations';

// seed 003 (UWAGI, "elektroniczne poświadczenie odbioru pisma"): the office's letters and their addressees'
// first opening, confirmed once (db/entities/letters.ts).
export class Migration20261205180000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "letters" ("id" varchar(40) not null, "mail_id" varchar(300) not null, "case_id" varchar(200) not null, "kind" varchar(40) not null, "subject" varchar(300) not null, "sender" varchar(300) not null, "addressee_email" varchar(254) not null, "link_key" varchar(64) not null, "created_at" timestamptz not null, "opened_at" timestamptz null, "opened_by" varchar(254) null, "opened_via" varchar(16) null, "confirmation_number" varchar(80) null, "confirmation_document_id" varchar(250) null, constraint "letters_pkey" primary key ("id"));`);
    this.addSql(`alter table "letters" add constraint "letters_mail_id_unique" unique ("mail_id");`);
    this.addSql(`create index "letters_case_id_index" on "letters" ("case_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "letters";`);
  }
}
