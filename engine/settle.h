// Settle: month-end settlement of one period of one contract (docs/cli.md, "reckon settle").
//
// Invariants:
//  * The contract is registered by its exact text: the same (id, version)
//    with other text is refused (kState, exit 4).
//  * Idempotent: a settled period returns its recorded statement and writes
//    nothing.
//  * Periods of a contract are settled in order: the first may be any period
//    in the effective range; each later one must be the next (kState).
//  * The statement is computed from chained records only (seq <= the head at
//    settlement) and appended with the contract registration and the
//    re-evaluations of earlier periods it adjusts (adjustment.h) in one
//    transaction committed with synchronous=FULL; --dry-run writes nothing.
#pragma once

#include "dsl/contract.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <string>

namespace reckon {

struct SettleOptions {
  std::string contract_path;
  std::string period;
  bool dry_run = false;
};

struct SettleOutcome {
  Statement statement;  // with .ledger set to the statement entry (unset on a dry run)
  bool already_settled = false;
  bool written = false;
};

Result<SettleOutcome> Settle(Ledger& ledger, const SettleOptions& opt);

// The recorded statement of (contract id, period), with .ledger set.
Result<Statement> ShowStatement(Ledger& ledger, const std::string& contract, const std::string& period);

}  // namespace reckon
