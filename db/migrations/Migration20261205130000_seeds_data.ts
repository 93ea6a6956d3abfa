import { Migration } from '@mikro-orm/migrations';

// Issue 16 (seeds as data): the voivodeship offices' register (seed 000: ePUAP box and the social-policy
// mailbox; seed 004 Załącznik 5: the voivodeship administrators' addresses), receipts (UPO, seed 003) for
// every submission, and the head's standing designation per reporting area (seed 002 §I.4, §I.5, §II.5).

/** The 16 voivodeships' TERYT codes: every office has a row, filled where the seeds give data. */
const VOIVODESHIPS = ['02', '04', '06', '08', '10', '12', '14', '16', '18', '20', '22', '24', '26', '28', '30', '32'];

/** The offices' names (public; the pages named them before the register existed). */
const NAMES: Record<string, string> = {
  '02': 'Dolnośląski Urząd Wojewódzki we Wrocławiu',
  '04': 'Kujawsko-Pomorski Urząd Wojewódzki w Bydgoszczy',
  '06': 'Lubelski Urząd Wojewódzki w Lublinie',
  '08': 'Lubuski Urząd Wojewódzki w Gorzowie Wielkopolskim',
  '10': 'Łódzki Urząd Wojewódzki w Łodzi',
  '12': 'Małopolski Urząd Wojewódzki w Krakowie',
  '14': 'Mazowiecki Urząd Wojewódzki w Warszawie',
  '16': 'Opolski Urząd Wojewódzki w Opolu',
  '18': 'Podkarpacki Urząd Wojewódzki w Rzeszowie',
  '20': 'Podlaski Urząd Wojewódzki w Białymstoku',
  '22': 'Pomorski Urząd Wojewódzki w Gdańsku',
  '24': 'Śląski Urząd Wojewódzki w Katowicach',
  '26': 'Świętokrzyski Urząd Wojewódzki w Kielcach',
  '28': 'Warmińsko-Mazurski Urząd Wojewódzki w Olsztynie',
  '30': 'Wielkopolski Urząd Wojewódzki w Poznaniu',
  '32': 'Zachodniopomorski Urząd Wojewódzki w Szczecinie',
};

export class Migration20261205130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "voivodeship_offices" ("voivodeship" varchar(2) not null, "name" varchar(200) null, "epuap_box" varchar(200) null, "social_policy_email" varchar(200) null, "administrator_emails" jsonb not null default '[]', "postal_address" varchar(300) null, "updated_by" varchar(120) not null default 'migration', "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "voivodeship_offices_pkey" primary key ("voivodeship"));`);
    for (const v of VOIVODESHIPS) this.addSql(`insert into "voivodeship_offices" ("voivodeship", "name") values ('${v}', '${NAMES[v]}') on conflict do nothing;`);
    // seed 000 (Świętokrzyski Urząd Wojewódzki, "Pomoc dla użytkowników"): the only office the seeds name.
    this.addSql(`update "voivodeship_offices" set "name" = 'Świętokrzyski Urząd Wojewódzki w Kielcach', "epuap_box" = '/SUWKielce/SkrytkaESP', "social_policy_email" = 'wps00@kielce.uw.gov.pl' where "voivodeship" = '26';`);

    this.addSql(`create table "receipts" ("number" varchar(80) not null, "key" varchar(300) not null, "case_id" varchar(200) not null, "kind" varchar(40) not null, "subject" varchar(300) not null, "received_at" timestamptz not null, "submitted_by" varchar(120) not null, "sha256" varchar(64) null, "document_id" varchar(250) not null, "created_at" timestamptz not null default now(), constraint "receipts_pkey" primary key ("number"));`);
    this.addSql(`alter table "receipts" add constraint "receipts_key_unique" unique ("key");`);
    this.addSql(`create index "receipts_case_id_index" on "receipts" ("case_id");`);

    this.addSql(`create table "report_area_designations" ("unit_code" varchar(7) not null, "area" varchar(16) not null, "responsible" varchar(120) not null, "substitute" varchar(120) null, "second_level" varchar(120) null, "designated_by" varchar(120) not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), constraint "report_area_designations_pkey" primary key ("unit_code", "area"));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "report_area_designations";`);
    this.addSql(`drop table if exists "receipts";`);
    this.addSql(`drop table if exists "voivodeship_offices";`);
  }
}
