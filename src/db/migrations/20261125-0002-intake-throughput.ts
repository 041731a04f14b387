// Intake throughput: tracking numbers come from one sequence per year (tracking_number_<year>)
// instead of a counter row that every submission locked until it committed. Numbers stay unique
// and increasing; a rolled-back submission leaves a gap.
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    do $$
    declare counter record;
    begin
      for counter in select year, last from tracking_counters loop
        execute format('create sequence tracking_number_%s as integer start with %s', counter.year, counter.last + 1);
      end loop;
    end $$;
    drop table tracking_counters;
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table tracking_counters (
      year integer primary key,
      last integer not null
    );
    do $$
    declare number_sequence record;
    begin
      for number_sequence in
        select sequencename, coalesce(last_value, start_value - 1) as last from pg_sequences
        where schemaname = current_schema() and sequencename ~ '^tracking_number_[0-9]{4}$'
      loop
        insert into tracking_counters (year, last)
        values (substring(number_sequence.sequencename from 17)::integer, number_sequence.last);
        execute format('drop sequence %I', number_sequence.sequencename);
      end loop;
    end $$;
  `.execute(db);
}
