import { Migration } from '@mikro-orm/migrations';

// The case list at 100,000 cases, second step (issue 7: under 100 ms at p95 with 20 clients).
// - cases.open_tasks: the case's open tasks, kept by statement triggers on tasks in the writing
//   transaction (and counted when a case row is inserted after its tasks). "Waiting on the office" and
//   "on the unit" become a column test instead of a lookup in tasks for every listed or counted case.
// - case_counts gains `office` (open and with an open task), so counts filtered by whom a case waits on
//   come from the summary too, exactly.
// - voivodeship + updated_at: a voivodeship administrator's list, and any list filtered by voivodeship,
//   read in the default order (last change first) straight from the index.
export class Migration20261128100000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "cases" add column "open_tasks" integer not null default 0;`);
    this.addSql(`update cases c set open_tasks = t.n from (select case_id, count(*)::int as n from tasks where status = 'open' group by case_id) t where t.case_id = c.id;`);
    this.addSql(`create function cases_open_tasks_init() returns trigger language plpgsql as $$
      begin
        new.open_tasks := (select count(*) from tasks t where t.case_id = new.id and t.status = 'open');
        return new;
      end $$;`);
    this.addSql(`create trigger "cases_open_tasks_init" before insert on "cases" for each row execute function cases_open_tasks_init();`);
    // Tasks entering the open state count +1 on their case, leaving it -1; cases are updated in id order.
    this.addSql(`create function tasks_open_count_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          update cases c set open_tasks = c.open_tasks + d.n
            from (select case_id, count(*)::int as n from new_rows where status = 'open' group by case_id order by case_id) d where c.id = d.case_id;
        elsif tg_op = 'UPDATE' then
          update cases c set open_tasks = c.open_tasks + d.n
            from (select case_id, sum(n)::int as n from (
                select case_id, 1 as n from new_rows where status = 'open'
                union all
                select case_id, -1 from old_rows where status = 'open') x
              group by case_id having sum(n) <> 0 order by case_id) d where c.id = d.case_id;
        else
          update cases c set open_tasks = c.open_tasks - d.n
            from (select case_id, count(*)::int as n from old_rows where status = 'open' group by case_id order by case_id) d where c.id = d.case_id;
        end if;
        return null;
      end $$;`);
    this.addSql(`create trigger "tasks_open_count_insert" after insert on "tasks" referencing new table as new_rows for each statement execute function tasks_open_count_apply();`);
    this.addSql(`create trigger "tasks_open_count_update" after update on "tasks" referencing old table as old_rows new table as new_rows for each statement execute function tasks_open_count_apply();`);
    this.addSql(`create trigger "tasks_open_count_delete" after delete on "tasks" referencing old table as old_rows for each statement execute function tasks_open_count_apply();`);
    this.addSql(`create function tasks_open_count_reset() returns trigger language plpgsql as $$ begin update cases set open_tasks = 0 where open_tasks <> 0; return null; end $$;`);
    this.addSql(`create trigger "tasks_open_count_truncate" after truncate on "tasks" for each statement execute function tasks_open_count_reset();`);

    this.addSql(`delete from case_counts;`);
    this.addSql(`alter table "case_counts" drop constraint "case_counts_pkey";`);
    this.addSql(`alter table "case_counts" add column "office" boolean not null default false;`);
    this.addSql(`alter table "case_counts" add constraint "case_counts_pkey" primary key ("voivodeship", "type", "status", "closed", "office", "deadline_day");`);
    this.addSql(`create or replace function case_counts_apply() returns trigger language plpgsql as $$
      begin
        if tg_op = 'INSERT' then
          insert into case_counts as k (voivodeship, type, status, closed, office, deadline_day, n)
            select voivodeship, type, status, closed_at is not null, closed_at is null and open_tasks > 0, case_count_day(deadline, closed_at), count(*) from new_rows
            group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
            on conflict (voivodeship, type, status, closed, office, deadline_day) do update set n = k.n + excluded.n;
          return null;
        end if;
        if tg_op = 'UPDATE' then
          insert into case_counts as k (voivodeship, type, status, closed, office, deadline_day, n)
            select voivodeship, type, status, closed, office, day, sum(n) from (
              select voivodeship, type, status, closed_at is not null as closed, closed_at is null and open_tasks > 0 as office, case_count_day(deadline, closed_at) as day, -1 as n from old_rows
              union all
              select voivodeship, type, status, closed_at is not null, closed_at is null and open_tasks > 0, case_count_day(deadline, closed_at), 1 from new_rows) d
            group by 1, 2, 3, 4, 5, 6 having sum(n) <> 0 order by 1, 2, 3, 4, 5, 6
            on conflict (voivodeship, type, status, closed, office, deadline_day) do update set n = k.n + excluded.n;
        else
          insert into case_counts as k (voivodeship, type, status, closed, office, deadline_day, n)
            select voivodeship, type, status, closed_at is not null, closed_at is null and open_tasks > 0, case_count_day(deadline, closed_at), -count(*) from old_rows
            group by 1, 2, 3, 4, 5, 6 order by 1, 2, 3, 4, 5, 6
            on conflict (voivodeship, type, status, closed, office, deadline_day) do update set n = k.n + excluded.n;
        end if;
        delete from case_counts k using (
            select distinct voivodeship, type, status, closed_at is not null as closed, closed_at is null and open_tasks > 0 as office, case_count_day(deadline, closed_at) as day from old_rows) d
          where k.n = 0 and (k.voivodeship, k.type, k.status, k.closed, k.office, k.deadline_day) = (d.voivodeship, d.type, d.status, d.closed, d.office, d.day);
        return null;
      end $$;`);
    this.addSql(`insert into case_counts (voivodeship, type, status, closed, office, deadline_day, n)
      select voivodeship, type, status, closed_at is not null, closed_at is null and open_tasks > 0, case_count_day(deadline, closed_at), count(*)
      from cases group by 1, 2, 3, 4, 5, 6;`);

    this.addSql(`create index "cases_voivodeship_updated_index" on "cases" ("voivodeship", "updated_at");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "cases_voivodeship_updated_index";`);
    this.addSql(`delete from case_counts;`);
    this.addSql(`alter table "case_counts" drop constraint "case_counts_pkey";`);
    this.addSql(`alter table "case_counts" drop column "office";`);
    this.addSql(`alter table "case_counts" add constraint "case_counts_pkey" primary key ("voivodeship", "type", "status", "closed", "deadline_day");`);
    this.addSql(`create or replace function case_counts_apply() returns trigger language plpgsql as $$
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
    this.addSql(`insert into case_counts (voivodeship, type, status, closed, deadline_day, n)
      select voivodeship, type, status, closed_at is not null, case_count_day(deadline, closed_at), count(*) from cases group by 1, 2, 3, 4, 5;`);
    this.addSql(`drop trigger "tasks_open_count_truncate" on "tasks";`);
    this.addSql(`drop trigger "tasks_open_count_delete" on "tasks";`);
    this.addSql(`drop trigger "tasks_open_count_update" on "tasks";`);
    this.addSql(`drop trigger "tasks_open_count_insert" on "tasks";`);
    this.addSql(`drop function tasks_open_count_reset();`);
    this.addSql(`drop function tasks_open_count_apply();`);
    this.addSql(`drop trigger "cases_open_tasks_init" on "cases";`);
    this.addSql(`drop function cases_open_tasks_init();`);
    this.addSql(`alter table "cases" drop column "open_tasks";`);
  }
}
