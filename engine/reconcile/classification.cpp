// Classification and record billing (see classification.h).
#include "engine/reconcile/classification.h"

#include <fmt/format.h>

namespace reckon {

namespace {

// The top-level `and` parts of a condition, left to right.
void AndParts(const Expr& e, std::vector<const Expr*>& out) {
  if (e.kind == Expr::Kind::kBinary && e.op == Op::kAnd) {
    AndParts(*e.args[0], out);
    AndParts(*e.args[1], out);
    return;
  }
  out.push_back(&e);
}

}  // namespace

std::string_view ClassificationName(Classification c) {
  switch (c) {
    case Classification::kAgreed: return "agreed";
    case Classification::kUnknown: return "unknown";
    case Classification::kUnverified: return "unverified";
    case Classification::kExcluded: return "excluded";
    case Classification::kVoided: return "voided";
    case Classification::kOtherPeriod: return "other_period";
    case Classification::kNotBillable: return "not_billable";
    case Classification::kDuplicateClaim: return "duplicate_claim";
    case Classification::kUnclaimed: return "unclaimed";
    case Classification::kPerLine: return "per_line";
  }
  return "?";
}

bool IsDispute(Classification c) { return c != Classification::kAgreed && c != Classification::kPerLine; }

RecordBilling::RecordBilling(const Contract& contract) : contract_(contract) {
  aggregate_.assign(contract.fees.size(), nullptr);
  for (size_t f = 0; f < contract.fees.size(); ++f) {
    const Fee& fee = contract.fees[f];
    if (fee.per_metric < 0) continue;
    const Expr& root = *contract.metrics[size_t(fee.per_metric)].src.expr;
    if (root.kind != Expr::Kind::kCall || !root.is_aggregate || root.slot < 0) continue;
    const AggregateSpec& a = contract.aggregates[size_t(root.slot)];
    if (a.func != AggregateFunc::kCount && a.func != AggregateFunc::kSum) continue;
    aggregate_[f] = &a;
    per_record_.push_back(int(f));
  }
  AndParts(*contract.where.expr, where_parts_);
}

RecordBilling::Bill RecordBilling::Billing(int fee, const EvalScope& scope) const {
  const AggregateSpec& a = *aggregate_[size_t(fee)];
  Bill b;
  if (a.filter && !Eval(*a.filter, scope).is_true()) return b;
  if (a.func == AggregateFunc::kCount) {
    b.billable = true;
    return b;
  }
  Value v = Eval(*a.value, scope);
  if (!v.is_defined_value() || v.tag != Value::Tag::kNumber) return b;
  b.billable = true;
  b.units = v.num;
  return b;
}

std::string RecordBilling::ConditionText(int fee) const {
  const AggregateSpec& a = *aggregate_[size_t(fee)];
  std::string metric = contract_.metrics[size_t(contract_.fees[size_t(fee)].per_metric)].name;
  if (a.func == AggregateFunc::kCount) return a.filter ? fmt::format("{}: {} is false", metric, ExprText(*a.filter)) : metric;
  if (!a.filter) return fmt::format("{}: {} is absent", metric, ExprText(*a.value));
  return fmt::format("{}: {} is false or {} is absent", metric, ExprText(*a.filter), ExprText(*a.value));
}

size_t RecordBilling::FalseCondition(const EvalScope& scope) const {
  for (size_t i = 0; i < where_parts_.size(); ++i)
    if (!Eval(*where_parts_[i], scope).is_true()) return i;
  return 0;
}

std::string RecordBilling::ConditionOfWhere(size_t index) const {
  return fmt::format("records.where: {} is false", ExprText(*where_parts_[index]));
}

}  // namespace reckon
