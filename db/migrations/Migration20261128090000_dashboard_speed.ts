import { Migration } from '@mikro-orm/migrations';

// Dashboards at 100,000 cases (issue 7: the case list under 100 ms, the overview under 300 ms at p95).
// - case_counts: cases counted per voivodeship, type, status, closed and (open cases) deadline day,
//   kept by statement triggers on cases in the writing transaction, so the overview and the list's
//   counts read a few thousand summary rows instead of every case, and are never stale. The deadline day
//   makes "overdue" exact: days before today come from here, today's part from cases (a small range).
// - unit_code text_pattern_ops: the TERYT prefix filters (unit, q, staff scope) are LIKE 'code%',
//   which a plain index serves only under the C collation.
// - the identity-merge party of the visibility rule gets its own partial index, so the rule's OR turns
//   into index lookups instead of reading every case's JSON.
// - open tasks by case: "waiting on the office" and the open-task count per listed case.
// - open cases by deadline, covering what the overview groups by: today's overdue part from the index.
export class Migration20261128090000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "cases_unit_code_prefix_index" on "cases" ("unit_code" text_pattern_ops);`);
    this.addSql(`create index "cases_merge_other_account_index" on "cases" ((data->>'otherAccountId')) where type = 'identity-merge';`);
    this.addSql(`create index "tasks_open_case_id_index" on "tasks" ("case_id") where status = 'open';`);
    this.addSql(`create index "cases_open_deadline_index" on "cases" ("deadline") include ("voivodeship", "type", "status") where closed_at is null;`);

    this.addSql(`create table "case_counts" (
      "voivodeship" varchar(2) not null, "type" varchar(40) not null, "status" varchar(40) not null, "closed" boolean not null,
      "deadline_day" date not null, "n" integer not null,
      constraint "case_counts_pkey" primary key ("voivodeship", "type", "status", "closed", "deadline_day"));`);
    // The summary key's day: the deadline's calendar day in Poland for open cases; 'infinity' for closed
    // cases and cases without a deadline (only open cases can be overdue).
    this.addSql(`create function case_count_day(deadline timestamptz, closed_at timestamptz) returns date language sql immutable parallel safe
      as $$ select case when closed_at is null and deadline is not null then (deadline at time zone 'Europe/Warsaw')::date else 'infinity'::date end $$;`);
    // One function for the three statement triggers: rows leaving a group count -1, rows entering +1;
    // keys sorted so concurrent writers lock summary rows in the same order; emptied groups are removed.
    this.addSql(`create function case_counts_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into case_counts as k (voivodeship, type, status, closed, deadline_day, n)
            select voivodeship, type, status, closed_at is not null, case_count_day(deadline, closed_at), count(*) from new_rows
            group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
            on conflict (voivodeship, type, status, closed, deadline_day) do update set n = k.n + excluded.n;
          return null;
        end if;
        if tg_op = 'UPDATE' then
          insert into case_counts as k (voivodeship, type, status, closed, deadline_day, n)
            select voivodeship, type, status, closed, day, sum(n) from (
              select voivodeship, type, status, closed_at is not null as closed, case_count_day(deadline, closed_at) as day, -1 as n from old_rows
              union all
              select voivodeship, type, status, closed_at is not null, case_count_day(deadline, closed_at), 1 from new_rows) d
            group by 1, 2, 3, 4, 5 having sum(n) <> 0 order by 1, 2, 3, 4, 5
            on conflict (voivodeship, type, status, closed, deadline_day) do update set n = k.n + excluded.n;
        else
          insert into case_counts as k (voivodeship, type, status, closed, deadline_day, n)
            select voivodeship, type, status, closed_at is not null, case_count_day(deadline, closed_at), -count(*) from old_rows
            group by 1, 2, 3, 4, 5 order by 1, 2, 3, 4, 5
            on conflict (voivodeship, type, status, closed, deadline_day) do update set n = k.n + excluded.n;
        end if;
        delete from case_counts k using (select distinct voivodeship, type, status, closed_at is not null as closed, case_count_day(deadline, closed_at) as day from old_rows) d
          where k.n = 0 and (k.voivodeship, k.type, k.status, k.closed, k.deadline_day) = (d.voivodeship, d.type, d.status, d.closed, d.day);
        return null;
      end $$;`);
    this.addSql(`create trigger "cases_count_insert" after insert on "cases" referencing new table as new_rows for each statement execute function case_counts_apply();`);
    this.addSql(`create trigger "cases_count_update" after update on "cases" referencing old table as old_rows new table as new_rows for each statement execute function case_counts_apply();`);
    this.addSql(`create trigger "cases_count_delete" after delete on "cases" referencing old table as old_rows for each statement execute function case_counts_apply();`);
    this.addSql(`create function case_counts_reset() returns trigger language plpgsql as $$ begin delete from case_counts; return null; end $$;`);
    this.addSql(`create trigger "cases_count_truncate" after truncate on "cases" for each statement execute function case_counts_reset();`);
    this.addSql(`insert into case_counts (voivodeship, type, status, closed, deadline_day, n)
      select voivodeship, type, status, closed_at is not null, case_count_day(deadline, closed_at), count(*)
      from cases group by 1, 2, 3, 4, 5;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger "cases_count_truncate" on "cases";`);
    this.addSql(`drop trigger "cases_count_delete" on "cases";`);
    this.addSql(`drop trigger "cases_count_update" on "cases";`);
    this.addSql(`drop trigger "cases_count_insert" on "cases";`);
    this.addSql(`drop function case_counts_reset();`);
    this.addSql(`drop function case_counts_apply();`);
    this.addSql(`drop function case_count_day(timestamptz, timestamptz);`);
    this.addSql(`drop table "case_counts";`);
    this.addSql(`drop index "cases_open_deadline_index";`);
    this.addSql(`drop index "tasks_open_case_id_index";`);
    this.addSql(`drop index "cases_merge_other_account_index";`);
    this.addSql(`drop index "cases_unit_code_prefix_index";`);
  }
}
