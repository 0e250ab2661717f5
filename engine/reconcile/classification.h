// Classification: what reconcile decides for one claim or one unclaimed
// record (docs/reconcile.md, "Categories"), and how a record of the period
// is billed under a fee (RecordBilling).
//
// A fee is compared record by record when its `per` metric is exactly a
// count(cond) or sum(x, cond) (the condition optional): each counted record
// for which the condition holds is one billable record, with 1 unit (count)
// or x units (sum). Any other fee with `per` is compared per line only.
// Conditions are evaluated by the contract's own evaluator in the record's
// settlement scope (RecordDecision::scope): nothing is re-implemented.
#pragma once

#include "dsl/contract.h"
#include "dsl/eval.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

enum class Classification : uint8_t {
  kAgreed,
  kUnknown,         // no record of the vendor has this id
  kUnverified,      // the record is not verified (and records.where wants it)
  kExcluded,        // records.where is false: detail names the condition
  kVoided,          // the record's effective revision voids it
  kOtherPeriod,     // the record belongs to another period: detail names it
  kNotBillable,     // counted, but the fee's unit condition is false: detail names it
  kDuplicateClaim,  // the same id claimed again under the same line
  kUnclaimed,       // a billable record of the period that no claim names
  kPerLine,         // a claim under a fee compared per line only
};
inline constexpr size_t kClassificationCount = 10;

std::string_view ClassificationName(Classification c);
// Every classification but agreed and per_line is a difference.
bool IsDispute(Classification c);

class RecordBilling {
 public:
  explicit RecordBilling(const Contract& contract);

  // Whether fee `fee` (a `per` fee) is compared record by record.
  bool PerRecord(int fee) const { return aggregate_[size_t(fee)] != nullptr; }
  // The per-record fees, in contract order.
  const std::vector<int>& per_record_fees() const { return per_record_; }

  // A counted record in `scope` under `fee` (PerRecord): billable when the
  // fee's condition is true (and sum's value present); `units` is set for
  // sum fees only (a count bills 1 unit).
  struct Bill {
    bool billable = false;
    std::optional<Number> units;  // nullopt: 1
  };
  Bill Billing(int fee, const EvalScope& scope) const;
  // What makes a counted record not billable under `fee`, as written.
  std::string ConditionText(int fee) const;

  // A record for which records.where is false: the index of the first
  // top-level `and` part that is not true, and its text.
  size_t FalseCondition(const EvalScope& scope) const;
  std::string ConditionOfWhere(size_t index) const;

 private:
  const Contract& contract_;
  std::vector<const AggregateSpec*> aggregate_;  // per fee; null = per line (or no `per`)
  std::vector<int> per_record_;
  std::vector<const Expr*> where_parts_;
};

}  // namespace reckon
