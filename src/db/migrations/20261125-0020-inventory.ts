// Inventory: products → models (hardware revisions) → firmware versions, the suppliers linked to
// models (which scope what a supplier's users may read), one current SBOM per firmware version and
// its components, indexed for "which firmware contains package X in version range R".
import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    alter table products add column updated_at timestamptz not null default now();

    create table suppliers (
      id uuid primary key default gen_random_uuid(),
      slug text not null unique,
      name text not null,
      country text,
      contacts jsonb not null default '[]',
      created_at timestamptz not null default now()
    );

    create table models (
      id uuid primary key default gen_random_uuid(),
      product_id uuid not null references products (id),
      slug text not null,
      name text not null,
      hardware_revisions text[] not null default '{}',
      remote_update boolean not null default false,
      support_ends date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (product_id, slug)
    );

    create table model_suppliers (
      model_id uuid not null references models (id) on delete cascade,
      supplier_id uuid not null references suppliers (id) on delete cascade,
      relation text not null check (relation in ('builds', 'supplies-parts')),
      created_at timestamptz not null default now(),
      primary key (model_id, supplier_id, relation)
    );
    -- A supplier's scope: the models it is linked to.
    create index model_suppliers_supplier on model_suppliers (supplier_id, model_id);

    create table firmware_versions (
      id uuid primary key default gen_random_uuid(),
      model_id uuid not null references models (id),
      version text not null,
      -- versionSortKey(version): plain byte order is version order.
      version_key text collate "C" not null,
      release_date date,
      notes text not null default '',
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (model_id, version)
    );
    create index firmware_versions_order on firmware_versions (model_id, version_key);

    create table sboms (
      id uuid primary key default gen_random_uuid(),
      firmware_version_id uuid not null unique references firmware_versions (id) on delete cascade,
      format text not null check (format in ('cyclonedx-json', 'cyclonedx-xml', 'spdx-json')),
      spec_version text not null,
      serial_number text,
      sha256 text not null references blobs (sha256),
      size bigint not null,
      component_count integer not null,
      -- actorId of the audit log (user:<id> or token:<id>) and who that was, for display.
      uploaded_by text not null,
      uploaded_by_label text not null,
      uploaded_at timestamptz not null default now()
    );

    create table components (
      id bigserial primary key,
      sbom_id uuid not null references sboms (id) on delete cascade,
      firmware_version_id uuid not null references firmware_versions (id) on delete cascade,
      name text not null,
      version text,
      version_key text collate "C",
      purl text,
      -- The purl without version, qualifiers and subpath: what a search by package compares.
      purl_base text,
      supplier text,
      licences text[] not null default '{}',
      hashes jsonb not null default '[]',
      bom_ref text
    );
    -- Component search: equality on the package, then a range on the version key; the firmware id
    -- rides along so the search reads the index only.
    create index components_purl_search on components (purl_base, version_key) include (firmware_version_id);
    create index components_name_search on components (lower(name), version_key) include (firmware_version_id);
    create index components_sbom on components (sbom_id);
    create index components_firmware on components (firmware_version_id);
  `.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`
    drop table components; drop table sboms; drop table firmware_versions; drop table model_suppliers;
    drop table models; drop table suppliers;
    alter table products drop column updated_at;
  `.execute(db);
}
