// Statement: evaluation of one contract over one billing period (docs/contract-language.md, docs/ledger-format.md "Payloads").
//
// ComputeStatement makes one pass over the vendor's records in the ledger
// (as of a given entry), decides for each record's effective revision
// whether it falls in the period and counts, feeds every aggregate, then
// evaluates metrics, fees, penalties, rewards and caps in the order of
// docs/contract-language.md ("Evaluation order"). The result is a typed
// Statement (ledger/payload/statement.h): money with exactly the currency's
// minor digits, metrics as exact decimal strings (or undefined), every line
// with its explanation.
//
// Invariants: amounts are exact rationals until each line is rounded once,
// with the contract's rounding mode; totals are sums of printed lines; the
// same ledger content gives byte-identical statements.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

struct EvalScope;  // dsl/eval.h

// What earlier statements of the same contract contribute (windows, streaks).
struct PriorPeriod {
  std::string period;
  Statement statement;
};

// How one effective record of the period was treated (for the audit export).
struct RecordDecision {
  int64_t seq = 0;               // ledger entry of the effective revision
  std::string_view id;
  std::string_view revision;     // as stored ("0" when absent)
  bool counted = false;
  std::string_view reason;       // why it is excluded: "voided", "unverified", "records.where is false"
  // The record's evaluation scope (its fields set) for expressions of the
  // contract, e.g. aggregate filters; null for voided records.
  const EvalScope* scope = nullptr;
};

// A settled period that a settlement watches for late changes (docs/records.md, "Late records and corrections").
struct WatchedPeriod {
  std::string period;
  PeriodBounds bounds;     // in the zone of the contract version governing it
  int64_t as_of_seq = 0;   // records with seq <= this were in its last evaluation
};

// How the effective records of a watched period changed since its last
// evaluation: new ids (late), new revisions (corrected), new void revisions
// (voided). A revision moving a record between periods counts for both.
struct LateChanges {
  int64_t late = 0, corrected = 0, voided = 0;
  bool any() const { return late + corrected + voided > 0; }
  std::string Text() const;  // "3 late, 1 corrected, 1 voided" (non-zero parts)
};

// One record behind a watched period's changes (for the audit export): its
// effective revision now, how it changed since the period's last evaluation,
// and whether that revision falls in the period (a revision may move a record
// out of it).
enum class LateChange { kLate, kCorrected, kVoided };
struct LateRecord {
  int64_t seq = 0;         // ledger entry of its effective revision now
  std::string_view id;
  int64_t revision = 0;
  LateChange change = LateChange::kLate;
  bool inside = false;     // the effective revision falls in the watched period
};
std::string_view LateChangeName(LateChange c);  // "late", "corrected", "voided"

// One adjustment line of the statement being computed.
struct AdjustmentLine {
  std::string period;   // the settled period it adjusts
  std::string amount;   // signed money text
  std::string explain;
};

struct StatementInput {
  const Contract* contract = nullptr;
  Period period;
  int64_t as_of_seq = 0;                  // records with seq <= this count
  std::vector<PriorPeriod> prior;         // earlier settled periods, oldest first
  // Called on the evaluating thread for every effective record of the
  // period, in time order (occurred_at, then entry); optional.
  std::function<void(const RecordDecision&)> on_record;
  // Late changes: the single pass also classifies every change since each
  // watched period's last evaluation; `adjust` is then called (once, after
  // rewards, when any watched period changed) with one entry per watched
  // period and returns the adjustment lines, oldest period first.
  std::vector<WatchedPeriod> watch;
  std::function<Result<std::vector<AdjustmentLine>>(const std::vector<LateChanges>&)> adjust;
  // Called on the fetching thread for every record counted in the changes of
  // watched period `w` (the index into `watch`), in id order; optional.
  std::function<void(size_t w, const LateRecord&)> on_late;
  // Adjustment lines of a recorded statement, kept verbatim when that
  // statement's period is re-evaluated (they settled other periods).
  std::vector<AdjustmentLine> carried;
};

Result<Statement> ComputeStatement(Ledger& ledger, const StatementInput& in);

// Human-readable rendering of a statement (for the CLI without --json):
// with its contract version, metrics and reported KPIs in the contract's
// order with their display (engine/display.h); without it, sorted by name.
// Money has thousands separators.
std::string RenderStatementText(const Statement& st, const Contract* contract = nullptr);

}  // namespace reckon
