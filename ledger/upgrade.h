// UpgradeLedger: `reckon ledger upgrade` -- a ledger of an earlier format
// rebuilt in place as the current one (format 3; docs/ledger-format.md):
//   format 1 (records keyed by (vendor, id, revision)): the derived records
//     table is dropped and rebuilt from the record entries, with the same rules
//     ingest applies, then the key filters are written;
//   format 2 (records_key ordered by id_key alone): records_key is rebuilt
//     ordered by key generation and the key filters are written.
// One write transaction (all or nothing); entries, hashes and head are
// untouched. The caller then verifies the whole ledger.
#pragma once

#include "dsl/status.h"

#include <string>

namespace reckon {

// What the upgrade did: false when the ledger already had the current format;
// `from` the format it had, `records` the records rows indexed, `filters`
// the key filters written.
struct UpgradeResult {
  bool upgraded = false;
  int from = 0;
  int64_t records = 0;
  int64_t filters = 0;  // key filters written (one per finished generation)
};

Result<UpgradeResult> UpgradeLedger(const std::string& path);

// The DDL of the records table, its indexes, the key_filters table and their
// triggers; and of what format 3 adds to format 2 (key_filters, its triggers
// and records_key). Defined with the rest of the schema in ledger.cpp.
std::string RecordsSchemaSql();
std::string KeyGenerationsSchemaSql();

}  // namespace reckon
