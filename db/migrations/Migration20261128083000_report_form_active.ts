import { Migration } from '@mikro-orm/migrations';

// A report form can be deactivated: its Temporal Schedule (report-form-<code>) is paused meanwhile.
export class Migration20261128083000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "report_forms" add column "active" boolean not null default true;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "report_forms" drop column "active";`);
  }
}
