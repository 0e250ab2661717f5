// ReconcileSummary: the comparison of one period's claims with Reckon's
// figures, per fee line and in total (docs/reconcile.md, "Summary").
//
// Per line: what the vendor claimed (units; the amount those units cost
// under the fee's price or tiers, rounded once with the contract's
// rounding), what the recorded statement settled, what the period comes to
// now (the current record set as of the ledger head: late records included),
// and the difference claimed - current. Money is exact (Number), printed
// with the currency's minor digits.
#pragma once

#include "engine/adjustment.h"
#include "engine/reconcile/classification.h"
#include "ledger/ledger.h"
#include "ledger/payload/money.h"
#include "ledger/payload/statement.h"

#include <nlohmann/json.hpp>

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

// A sum of units, exact; units of exactly 1 (the common case) are counted
// without rational arithmetic.
class UnitSum {
 public:
  void AddOne() { ++ones_; }
  void Add(const Number& n) { other_ += n; }
  Number Total() const { return Number::FromInt(ones_) + other_; }

 private:
  int64_t ones_ = 0;
  Number other_;
};

struct ClassCount {
  int64_t rows = 0;  // claims (unclaimed: records)
  Number units;
};

struct LineSummary {
  std::string fee;
  std::string metric;             // the fee's `per` metric
  bool per_record = false;        // compared record by record
  Number claimed_units;
  Money claimed_amount;
  std::optional<Number> settled_units, current_units;  // nullopt: the metric is undefined
  Money settled_amount, current_amount;
  std::array<ClassCount, kClassificationCount> classes{};

  Number DifferenceUnits() const { return claimed_units - current_units.value_or(Number()); }
  Money DifferenceAmount() const { return claimed_amount - current_amount; }
};

struct ReconcileSummary {
  std::string contract, vendor, period, claims_file;
  int64_t version = 0;
  Currency currency{"USD", 2};
  int64_t claims = 0;                    // claim rows read
  std::vector<LineSummary> lines;        // every fee with `per`, contract order
  std::array<ClassCount, kClassificationCount> classes{};  // over all lines
  Money claimed, settled, current;       // sums of the lines
  std::vector<PostedAdjustment> adjustments;  // posted for the period since it was settled
  Money adjusted;                        // their sum
  LedgerRef statement;                   // the recorded statement
  Head head;                             // the ledger head reconciled against
  bool late = false;                     // the current figures differ from the settled ones

  Money AtStake() const { return claimed - current; }
  // Claims and Reckon agree: no disputed claim, no unclaimed record, and every
  // line's units and amount equal.
  bool Agrees() const;
};

nlohmann::json SummaryJson(const ReconcileSummary& s);
// The human summary: an aligned table per line, the counts per
// classification, the adjustments, the verdict.
std::string SummaryText(const ReconcileSummary& s);

}  // namespace reckon
