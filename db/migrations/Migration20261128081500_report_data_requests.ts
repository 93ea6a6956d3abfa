import { Migration } from '@mikro-orm/migrations';

// Data requests of a report to other departments or external units (issue 5). The recipient is named
// here; their e-mail address is kept only in the outbox and the sealed workflow input.
export class Migration20261128081500 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "report_data_requests" ("id" varchar(250) not null, "report_id" varchar(200) not null, "recipient_name" varchar(200) not null, "subject" text not null, "due_date" date not null, "status" varchar(16) not null, "overdue" boolean not null default false, "reminders" int not null default 0, "requested_by" varchar(120) not null, "created_at" timestamptz not null, "answer_text" text null, "document_id" varchar(250) null, "answered_by" varchar(120) null, "closed_at" timestamptz null, constraint "report_data_requests_pkey" primary key ("id"));`);
    this.addSql(`create index "report_data_requests_report_id_index" on "report_data_requests" ("report_id");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_data_requests" cascade;`);
  }
}
