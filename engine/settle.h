// Settle: month-end settlement of one period of one contract (docs/cli.md, "reckon settle").
//
// Invariants:
//  * `contract` names a registered id or a contract file (contract_arg.h);
//    a file is registered by its exact text first: the same (id, version)
//    with other text is refused (kState, exit 4). The version in force for
//    the period governs it, whatever version the file was.
//  * Only ended periods: a period is settled once `now` is at or after its
//    end in the contract's zone plus settle_after (due.h); before, kState
//    naming when it becomes due. A dry run of such a period is a preview.
//  * The first settlement is the id's first period unless `start` names it.
//  * Idempotent: a settled period returns its recorded statement and writes
//    nothing.
//  * Periods of a contract are settled in order: each after the first must
//    be the next (kState).
//  * The statement is computed from chained records only (seq <= the head at
//    settlement) and appended with the contract registration and the
//    re-evaluations of earlier periods it adjusts (adjustment.h) in one
//    transaction committed with synchronous=FULL; --dry-run writes nothing.
#pragma once

#include "dsl/contract.h"
#include "engine/due.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <memory>
#include <optional>
#include <string>

namespace reckon {

struct SettleOptions {
  std::string contract;               // a registered id or a contract file
  std::string period;
  std::optional<std::string> start;   // the first settlement starts here (a contract taken over mid-term)
  bool dry_run = false;
  Timestamp now;                      // engine/clock.h
  // For `close`: a period that is not due, or outside the contract's
  // effective range, is an outcome (SettleOutcome::skipped), not an error.
  bool skips_are_outcomes = false;
};

enum class SettleSkip { kNone, kNotDue, kOutOfRange };

struct SettleOutcome {
  Statement statement;  // with .ledger set to the statement entry (unset on a dry run)
  bool already_settled = false;
  bool written = false;
  bool preview = false;     // a dry run of a period that is not yet due
  std::string as_of;        // `now` in the contract's zone, on a preview
  PeriodDue due;
  SettleSkip skipped = SettleSkip::kNone;  // only with skips_are_outcomes
  std::string skip_reason;
  std::shared_ptr<const Contract> contract;  // the version that governs the period (null when out of range)
};

Result<SettleOutcome> Settle(Ledger& ledger, const SettleOptions& opt);

// The recorded statement of (contract id, period), with .ledger set.
Result<Statement> ShowStatement(Ledger& ledger, const std::string& contract, const std::string& period);

}  // namespace reckon
