-- The roles of a PostgreSQL ledger (docs/postgresql.md, "Roles"). Run as the owner of the
-- ledger's tables (the role that created them), in the ledger's database, after the tables exist:
--   psql "postgresql://OWNER@HOST/DB" -v ON_ERROR_STOP=1 -f ledger/postgres/roles.sql
-- reckon_writer may read and append (INSERT, SELECT) and nothing else: no UPDATE, DELETE,
-- TRUNCATE, DDL or trigger changes. reckon_auditor may only read (SELECT). Log-in roles are made
-- members: CREATE ROLE ingest_host1 LOGIN PASSWORD '...' IN ROLE reckon_writer;
DO $$ BEGIN CREATE ROLE reckon_writer NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
DO $$ BEGIN CREATE ROLE reckon_auditor NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END $$;
REVOKE ALL ON ledger, entries, contracts, records, statements, adjustments FROM PUBLIC;
GRANT USAGE ON SCHEMA public TO reckon_writer, reckon_auditor;
GRANT SELECT, INSERT ON ledger, entries, contracts, records, statements, adjustments TO reckon_writer;
GRANT SELECT ON ledger, entries, contracts, records, statements, adjustments TO reckon_auditor;
