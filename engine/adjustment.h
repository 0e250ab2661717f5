// Adjustment: late records and corrections for settled periods (docs/records.md, "Late records and corrections").
//
// A closed period is never rewritten. When the settlement of period P finds
// (in its single pass) that the effective records of a settled period Q
// changed since Q was last evaluated, Q is re-evaluated with the current
// record set, Q's own contract version and Q's own history (the statements
// before it; the adjustment lines Q's statement carried for older periods
// are kept verbatim), and P gets one `adjustment` line:
//
//     re-evaluated net of Q − (net of Q's statement + adjustments already posted for Q)
//
// Each re-evaluation is an `adjustment` ledger entry written in the same
// transaction as P's statement, so the next round of late data for Q is
// measured from it (its as_of_seq) and adjusts only by what changed since.
//
// Invariants: the amounts are differences of recorded money texts, exact;
// re-evaluation reads only chained records (seq <= the head); periods are
// adjusted oldest first.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "engine/registry.h"
#include "engine/statement.h"
#include "ledger/ledger.h"
#include "ledger/payload/adjustment.h"

#include <map>
#include <memory>
#include <string>
#include <vector>

namespace reckon {

// An adjustment already posted for a settled period.
struct PostedAdjustment {
  int64_t seq = 0;        // its adjustment entry
  std::string posted_in;  // the period whose statement carries the line
  std::string amount;
  std::string explain;
};

// The adjustments posted for `period` of `contract` by entries up to
// `max_seq`, oldest first.
Result<std::vector<PostedAdjustment>> AdjustmentsFor(Ledger& ledger, const std::string& contract, const std::string& period,
                                                     int64_t max_seq);

// The input that re-evaluates settled period `period` (governed by
// `contract`, settled by `recorded`) on the records up to `as_of_seq`: its
// own version, `prior` (the recorded statements of the periods before it,
// oldest first) as history, and the adjustment lines its statement carried
// for older periods kept verbatim. Settlement, the audit export and
// `show --restated` all re-evaluate through it.
StatementInput ReevaluationInput(const Contract& contract, const Period& period, const Statement& recorded,
                                 std::vector<PriorPeriod> prior, int64_t as_of_seq);

// The recorded statements of `contract`'s periods before `period` (of
// `period`'s kind), oldest first.
Result<std::vector<PriorPeriod>> StatementsBefore(Ledger& ledger, const std::string& contract, const Period& period);

class AdjustmentPlan {
 public:
  // Reads every settled period of `current`'s contract id: the version that
  // governs it (from `registry`), its statement, the adjustments posted for it.
  static Result<AdjustmentPlan> Load(Ledger& ledger, ContractRegistry& registry, const Contract& current);

  // The statements of earlier periods (oldest first), as settlement needs
  // them for windows and streaks.
  std::vector<PriorPeriod> Prior() const;

  // Sets in.watch and in.adjust for the settlement of `posted_in`. The plan
  // must outlive the computation.
  void Attach(Ledger& ledger, StatementInput& in, const Period& posted_in);

  // Appends the re-evaluations made during the computation (inside the
  // settlement's write transaction).
  Status Write(Ledger& ledger) const;

 private:
  struct Settled {
    Period period;
    int64_t version = 0;
    const Contract* contract = nullptr;  // the version governing the period
    Statement statement;                 // as recorded
    int64_t as_of_seq = 0;               // its last evaluation
    Money earlier_adjustments;           // sum posted for it so far
  };
  struct Pending {
    AdjustmentRow row;
    AdjustmentEntry entry;
  };

  Result<std::vector<AdjustmentLine>> Reevaluate(Ledger& ledger, const std::vector<LateChanges>& changes, int64_t as_of_seq,
                                                 const Period& posted_in);

  std::vector<Settled> settled_;                           // in period order
  std::map<int64_t, std::shared_ptr<const Contract>> versions_;  // from the registry
  std::vector<Pending> pending_;
};

}  // namespace reckon
