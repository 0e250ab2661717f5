// CopyLedger: `reckon ledger copy SRC DST` -- a ledger copied entry by entry
// between any two backends (a SQLite file, a PostgreSQL database).
//
// Invariants:
//  * Every source entry is checked as it is read: its seq follows the last,
//    its prev_hash is the last entry's hash, its hash is EntryHash of what is
//    stored, and its payload passes the typed reader of its kind. The first
//    entry that fails stops the copy (kIntegrity naming it) and DST is left
//    as it was.
//  * DST gets the same entries (seq, kind, payload bytes), so the same
//    hashes and the same head; its derived rows are rebuilt from the
//    payloads, and DST is verified (Ledger::Verify) after the commit.
//  * DST must not exist or be empty (no entry); otherwise kState and nothing
//    is written. The copy is one write transaction on DST, read from one
//    snapshot of SRC.
#pragma once

#include "dsl/status.h"
#include "ledger/ledger.h"

#include <string>

namespace reckon {

struct CopySummary {
  int64_t entries = 0;
  Head head;
};

Result<CopySummary> CopyLedger(const std::string& src, const std::string& dst);

}  // namespace reckon
