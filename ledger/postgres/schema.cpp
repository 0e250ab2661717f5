// The PostgreSQL ledger's schema and its exact description (see schema.h).
#include "ledger/postgres/schema.h"

namespace reckon {

const std::string& PgSchemaSql() {
  static const std::string sql = R"SQL(
CREATE TABLE ledger(
  format integer NOT NULL,
  application text COLLATE "C" NOT NULL);
CREATE TABLE entries(
  seq bigint PRIMARY KEY,
  kind text COLLATE "C" NOT NULL,
  payload bytea NOT NULL,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL);
CREATE TABLE contracts(
  seq bigint PRIMARY KEY,
  contract text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  vendor text COLLATE "C" NOT NULL,
  sha256 text COLLATE "C" NOT NULL,
  UNIQUE(contract, version));
CREATE TABLE records(
  vendor text COLLATE "C" NOT NULL,
  id text COLLATE "C" NOT NULL,
  revision bigint NOT NULL,
  seq bigint NOT NULL,
  occurred_ns bigint NOT NULL,
  stale boolean NOT NULL,
  replaces bigint,
  replaces_ns bigint,
  PRIMARY KEY(vendor, id, revision));
CREATE TABLE statements(
  seq bigint PRIMARY KEY,
  contract text COLLATE "C" NOT NULL,
  period text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  UNIQUE(contract, period));
CREATE TABLE adjustments(
  seq bigint PRIMARY KEY,
  contract text COLLATE "C" NOT NULL,
  period text COLLATE "C" NOT NULL,
  posted_in text COLLATE "C" NOT NULL,
  version bigint NOT NULL,
  UNIQUE(contract, period, posted_in));
CREATE INDEX records_period ON records(vendor, occurred_ns, seq) WHERE NOT stale;
CREATE INDEX records_replaced ON records(vendor, replaces_ns, replaces) WHERE replaces IS NOT NULL;
CREATE INDEX records_seq ON records(vendor, seq);
CREATE FUNCTION reckon_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'reckon ledger is append-only: % refused', TG_OP;
END
$$;
CREATE TRIGGER ledger_append_only BEFORE UPDATE OR DELETE ON ledger FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER entries_append_only BEFORE UPDATE OR DELETE ON entries FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER contracts_append_only BEFORE UPDATE OR DELETE ON contracts FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER records_append_only BEFORE UPDATE OR DELETE ON records FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER statements_append_only BEFORE UPDATE OR DELETE ON statements FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER adjustments_append_only BEFORE UPDATE OR DELETE ON adjustments FOR EACH ROW EXECUTE FUNCTION reckon_append_only();
CREATE TRIGGER adjustments_no_truncate BEFORE TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only();
)SQL";
  return sql;
}

const std::string& DescribeSchemaSql() {
  // Every object of the current schema, schema-qualified names stripped, so
  // that a ledger in any schema describes the same way.
  static const std::string sql = R"SQL(
WITH ns AS (SELECT oid, nspname FROM pg_namespace WHERE nspname = current_schema())
SELECT line FROM (
  SELECT 'relation ' || c.relname || ' kind ' || c.relkind::text || ' rls ' || c.relrowsecurity || ' ' || c.relforcerowsecurity
         || ' persistence ' || c.relpersistence::text AS line
    FROM pg_class c JOIN ns ON c.relnamespace = ns.oid WHERE c.relkind NOT IN ('i', 'I', 'S', 't')
  UNION ALL
  SELECT 'column ' || c.relname || '.' || a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
         || CASE WHEN a.attnotnull THEN ' not null' ELSE '' END
         || COALESCE(' collate ' || co.collname, '')
         || COALESCE(' default ' || pg_get_expr(d.adbin, d.adrelid), '')
         || CASE WHEN a.attgenerated <> '' THEN ' generated' ELSE '' END
         || CASE WHEN a.attidentity <> '' THEN ' identity' ELSE '' END
    FROM pg_attribute a JOIN pg_class c ON a.attrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
    LEFT JOIN pg_collation co ON co.oid = a.attcollation AND a.attcollation <> 0
    LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
   WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind NOT IN ('i', 'I', 'S', 't')
  UNION ALL
  SELECT 'constraint ' || c.relname || '.' || k.conname || ' ' || pg_get_constraintdef(k.oid)
    FROM pg_constraint k JOIN pg_class c ON k.conrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT 'index ' || i.relname || ' ' || replace(pg_get_indexdef(i.oid), ' ON ' || quote_ident(ns.nspname) || '.', ' ON ')
    FROM pg_class i JOIN ns ON i.relnamespace = ns.oid WHERE i.relkind IN ('i', 'I')
  UNION ALL
  SELECT 'sequence ' || s.relname FROM pg_class s JOIN ns ON s.relnamespace = ns.oid WHERE s.relkind = 'S'
  UNION ALL
  SELECT 'trigger ' || t.tgname || ' ' || t.tgenabled::text || ' '
         || replace(pg_get_triggerdef(t.oid), ' ON ' || quote_ident(ns.nspname) || '.', ' ON ')
    FROM pg_trigger t JOIN pg_class c ON t.tgrelid = c.oid JOIN ns ON c.relnamespace = ns.oid WHERE NOT t.tgisinternal
  UNION ALL
  SELECT 'function ' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ') '
         || p.prokind::text || ' ' || l.lanname || ' ' || p.prosecdef || ' ' || md5(p.prosrc)
    FROM pg_proc p JOIN ns ON p.pronamespace = ns.oid JOIN pg_language l ON l.oid = p.prolang
  UNION ALL
  SELECT 'rule ' || r.rulename || ' on ' || c.relname
    FROM pg_rewrite r JOIN pg_class c ON r.ev_class = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT 'policy ' || p.polname || ' on ' || c.relname
    FROM pg_policy p JOIN pg_class c ON p.polrelid = c.oid JOIN ns ON c.relnamespace = ns.oid
  UNION ALL
  SELECT 'type ' || t.typname FROM pg_type t JOIN ns ON t.typnamespace = ns.oid
   WHERE t.typcategory <> 'A' AND NOT (t.typtype = 'c' AND EXISTS (SELECT 1 FROM pg_class c WHERE c.oid = t.typrelid))
) objects ORDER BY line COLLATE "C"
)SQL";
  return sql;
}

const std::string& ExpectedSchemaDescription() {
  // Produced by DescribeSchemaSql() on a ledger that PgSchemaSql() created
  // (PostgreSQL 15); tests/unit/postgres_ledger_test.cpp checks they agree.
  static const std::string text =
      "column adjustments.contract text not null collate C\n"
      "column adjustments.period text not null collate C\n"
      "column adjustments.posted_in text not null collate C\n"
      "column adjustments.seq bigint not null\n"
      "column adjustments.version bigint not null\n"
      "column contracts.contract text not null collate C\n"
      "column contracts.seq bigint not null\n"
      "column contracts.sha256 text not null collate C\n"
      "column contracts.vendor text not null collate C\n"
      "column contracts.version bigint not null\n"
      "column entries.hash bytea not null\n"
      "column entries.kind text not null collate C\n"
      "column entries.payload bytea not null\n"
      "column entries.prev_hash bytea not null\n"
      "column entries.seq bigint not null\n"
      "column ledger.application text not null collate C\n"
      "column ledger.format integer not null\n"
      "column records.id text not null collate C\n"
      "column records.occurred_ns bigint not null\n"
      "column records.replaces bigint\n"
      "column records.replaces_ns bigint\n"
      "column records.revision bigint not null\n"
      "column records.seq bigint not null\n"
      "column records.stale boolean not null\n"
      "column records.vendor text not null collate C\n"
      "column statements.contract text not null collate C\n"
      "column statements.period text not null collate C\n"
      "column statements.seq bigint not null\n"
      "column statements.version bigint not null\n"
      "constraint adjustments.adjustments_contract_period_posted_in_key UNIQUE (contract, period, posted_in)\n"
      "constraint adjustments.adjustments_pkey PRIMARY KEY (seq)\n"
      "constraint contracts.contracts_contract_version_key UNIQUE (contract, version)\n"
      "constraint contracts.contracts_pkey PRIMARY KEY (seq)\n"
      "constraint entries.entries_pkey PRIMARY KEY (seq)\n"
      "constraint records.records_pkey PRIMARY KEY (vendor, id, revision)\n"
      "constraint statements.statements_contract_period_key UNIQUE (contract, period)\n"
      "constraint statements.statements_pkey PRIMARY KEY (seq)\n"
      "function reckon_append_only() f plpgsql false 4cad6ad6cd6fb70096b6dc43fefab13f\n"
      "index adjustments_contract_period_posted_in_key CREATE UNIQUE INDEX adjustments_contract_period_posted_in_key ON adjustments USING btree (contract, period, posted_in)\n"
      "index adjustments_pkey CREATE UNIQUE INDEX adjustments_pkey ON adjustments USING btree (seq)\n"
      "index contracts_contract_version_key CREATE UNIQUE INDEX contracts_contract_version_key ON contracts USING btree (contract, version)\n"
      "index contracts_pkey CREATE UNIQUE INDEX contracts_pkey ON contracts USING btree (seq)\n"
      "index entries_pkey CREATE UNIQUE INDEX entries_pkey ON entries USING btree (seq)\n"
      "index records_period CREATE INDEX records_period ON records USING btree (vendor, occurred_ns, seq) WHERE (NOT stale)\n"
      "index records_pkey CREATE UNIQUE INDEX records_pkey ON records USING btree (vendor, id, revision)\n"
      "index records_replaced CREATE INDEX records_replaced ON records USING btree (vendor, replaces_ns, replaces) WHERE (replaces IS NOT NULL)\n"
      "index records_seq CREATE INDEX records_seq ON records USING btree (vendor, seq)\n"
      "index statements_contract_period_key CREATE UNIQUE INDEX statements_contract_period_key ON statements USING btree (contract, period)\n"
      "index statements_pkey CREATE UNIQUE INDEX statements_pkey ON statements USING btree (seq)\n"
      "relation adjustments kind r rls false false persistence p\n"
      "relation contracts kind r rls false false persistence p\n"
      "relation entries kind r rls false false persistence p\n"
      "relation ledger kind r rls false false persistence p\n"
      "relation records kind r rls false false persistence p\n"
      "relation statements kind r rls false false persistence p\n"
      "trigger adjustments_append_only O CREATE TRIGGER adjustments_append_only BEFORE DELETE OR UPDATE ON adjustments FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger adjustments_no_truncate O CREATE TRIGGER adjustments_no_truncate BEFORE TRUNCATE ON adjustments FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      "trigger contracts_append_only O CREATE TRIGGER contracts_append_only BEFORE DELETE OR UPDATE ON contracts FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger contracts_no_truncate O CREATE TRIGGER contracts_no_truncate BEFORE TRUNCATE ON contracts FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      "trigger entries_append_only O CREATE TRIGGER entries_append_only BEFORE DELETE OR UPDATE ON entries FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger entries_no_truncate O CREATE TRIGGER entries_no_truncate BEFORE TRUNCATE ON entries FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      "trigger ledger_append_only O CREATE TRIGGER ledger_append_only BEFORE DELETE OR UPDATE ON ledger FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger ledger_no_truncate O CREATE TRIGGER ledger_no_truncate BEFORE TRUNCATE ON ledger FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      "trigger records_append_only O CREATE TRIGGER records_append_only BEFORE DELETE OR UPDATE ON records FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger records_no_truncate O CREATE TRIGGER records_no_truncate BEFORE TRUNCATE ON records FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      "trigger statements_append_only O CREATE TRIGGER statements_append_only BEFORE DELETE OR UPDATE ON statements FOR EACH ROW EXECUTE FUNCTION reckon_append_only()\n"
      "trigger statements_no_truncate O CREATE TRIGGER statements_no_truncate BEFORE TRUNCATE ON statements FOR EACH STATEMENT EXECUTE FUNCTION reckon_append_only()\n"
      ;
  return text;
}

}  // namespace reckon
