// The PostgreSQL ledger's schema (docs/postgresql.md, "Schema"): the same
// five tables as the SQLite file, with PostgreSQL types (bigint, bytea, text
// in the "C" collation so that ids sort and compare by bytes), a ledger table
// that names the format, and append-only triggers: BEFORE UPDATE OR DELETE on
// every row and BEFORE TRUNCATE on every table raise an error.
//
// Invariant: a database (or schema, via search_path) holds a ledger only if
// its objects are exactly these: DescribeSchemaSql() lists every object of
// the current schema (tables, columns with type, collation and NOT NULL,
// constraints, indexes, triggers, functions, views, rules, policies and row
// security), and the listing must equal ExpectedSchemaDescription().
#pragma once

#include <string>

namespace reckon {

inline constexpr int kPgLedgerFormat = 1;
// The advisory lock key of the write lock: (kPgLockClass, hashtext(current_schema())).
inline constexpr int kPgLockClass = 0x52434b4e;  // "RCKN"

// The DDL that creates a ledger in the current schema.
const std::string& PgSchemaSql();
// One query returning one text column, one row per schema object, sorted.
const std::string& DescribeSchemaSql();
// What DescribeSchemaSql() returns for a ledger reckon created, one line per row.
const std::string& ExpectedSchemaDescription();

}  // namespace reckon
