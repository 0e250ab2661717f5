// UpgradeLedger: `reckon ledger upgrade` -- a format-1 ledger (records keyed
// by (vendor, id, revision)) rebuilt in place as format 2 (docs/ledger-format.md,
// "Records and their indexes").
//
// Only the derived records table changes: it is dropped and rebuilt from the
// record entries, in one write transaction (all or nothing), with the same
// rules ingest applies; entries, hashes and head are untouched. The caller
// then verifies the whole ledger.
#pragma once

#include "dsl/status.h"

#include <string>

namespace reckon {

// What the upgrade did: false when the ledger already had format 2.
struct UpgradeResult {
  bool upgraded = false;
  int64_t records = 0;
};

Result<UpgradeResult> UpgradeLedger(const std::string& path);

// The DDL of the format-2 records table, its indexes and its triggers
// (defined with the rest of the schema in ledger.cpp).
std::string RecordsSchemaSql();

}  // namespace reckon
