// Statement computation (see statement.h): one settlement of one period,
// orchestrated in evaluation order -- the record pass and its aggregates
// (statement/record_pass.h), the metrics in dependency order, the money lines
// (statement/lines.h) -- then the typed Statement.
#include "engine/statement.h"

#include "dsl/eval.h"
#include "engine/statement/lines.h"
#include "engine/statement/oversized.h"
#include "engine/statement/record_pass.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

class Evaluator {
 public:
  Evaluator(Ledger& ledger, const StatementInput& in) : ledger_(ledger), in_(in), contract_(*in.contract) {}

  Result<Statement> Run() {
    bounds_ = BoundsOf(in_.period, contract_.zone);
    for (auto& b : contract_.baselines) baselines_.push_back(b.value);
    scope_.baselines = &baselines_;
    scope_.period_seconds = Number::FromInt(bounds_.seconds);
    scope_.period_start = bounds_.start;
    scope_.period_end = bounds_.end;
    scope_.rounding = contract_.rounding;
    scope_.money_digits = contract_.currency.minor_units;
    scope_.oversized = &oversized_;

    RecordPass pass(ledger_, in_, bounds_, scope_, oversized_);
    if (auto s = pass.Run(); !s.ok()) return s;
    aggregates_ = pass.Aggregates();
    scope_.aggregates = &aggregates_;
    if (oversized_) return TooLarge();
    Metrics();
    if (oversized_) return TooLarge();
    LineBuilder lines(in_, scope_, metric_values_);
    lines.Fees();
    lines.Commitment();
    lines.Penalties();
    lines.Rewards();
    if (oversized_) return TooLarge();
    if (auto s = lines.Adjustments(pass.changes()); !s.ok()) return s;
    lines.NetCaps();
    if (oversized_) return TooLarge();
    Statement st = Build(pass.counts(), lines);
    Reported(st);
    if (oversized_) return TooLarge();
    return st;
  }

 private:
  Status TooLarge() const { return OversizedError(contract_, oversized_, nullptr, 0, false); }

  // Metrics are stored in dependency order; slot = index in contract_.metrics.
  void Metrics() {
    metric_values_.assign(contract_.metrics.size(), Value::Undefined());
    scope_.metrics = &metric_values_;
    for (size_t i = 0; i < contract_.metrics.size(); ++i) {
      Value v = Eval(*contract_.metrics[i].src.expr, scope_);
      if (v.tag != Value::Tag::kNumber) v = Value::Undefined();
      metric_values_[i] = v;
    }
  }

  // `reported:` KPIs, after the money (they never change it): they see the
  // statement's totals; undefined (e.g. a division by zero) is null.
  void Reported(Statement& st) {
    if (!contract_.meta.empty()) {
      st.meta.emplace();
      for (auto& m : contract_.meta) (*st.meta)[m.key] = m.value;
    }
    if (contract_.reported.empty()) return;
    const StatementTotals& t = st.totals;
    scope_.fees = t.fees.amount();
    scope_.totals = {t.penalties.amount(), t.rewards.amount(), t.adjustments.amount(), t.net.amount()};
    st.reported.emplace();
    for (auto& r : contract_.reported) {
      Value v = Eval(*r.src.expr, scope_);
      st.reported->push_back({r.name, v.tag == Value::Tag::kNumber ? std::optional(v.num.ToString()) : std::nullopt});
    }
    std::sort(st.reported->begin(), st.reported->end(), [](const MetricValue& a, const MetricValue& b) { return a.name < b.name; });
  }

  Statement Build(const RecordCounts& counts, const LineBuilder& lines) const {
    Statement st;
    st.contract = contract_.id;
    st.version = contract_.version;
    st.contract_sha256 = ToHex(Sha256(contract_.text));
    st.vendor = contract_.vendor;
    st.customer = contract_.customer;
    st.currency = contract_.currency;
    st.period = in_.period.Id();
    st.period_start = contract_.zone.FormatLocal(bounds_.start);
    st.period_end = contract_.zone.FormatLocal(bounds_.end);
    st.timezone = contract_.zone.name();
    st.records = counts;
    for (size_t i = 0; i < contract_.metrics.size(); ++i) {
      const Value& v = metric_values_[i];
      st.metrics.push_back({contract_.metrics[i].name, v.tag == Value::Tag::kNumber ? std::optional(v.num.ToString()) : std::nullopt});
    }
    std::sort(st.metrics.begin(), st.metrics.end(), [](const MetricValue& a, const MetricValue& b) { return a.name < b.name; });
    st.lines = lines.Lines();
    st.totals = TotalsOf(st.lines, contract_.currency);
    st.not_assessed = lines.not_assessed();
    st.as_of_seq = in_.as_of_seq;
    return st;
  }

  Ledger& ledger_;
  const StatementInput& in_;
  const Contract& contract_;
  PeriodBounds bounds_;
  EvalScope scope_;
  const Expr* oversized_ = nullptr;  // first node whose exact value exceeded kMaxNumberBits
  std::vector<Value> baselines_;
  std::vector<Value> aggregates_;
  std::vector<Value> metric_values_;
};

}  // namespace

std::string_view LateChangeName(LateChange c) {
  switch (c) {
    case LateChange::kLate: return "late";
    case LateChange::kCorrected: return "corrected";
    case LateChange::kVoided: return "voided";
  }
  return "late";
}

std::string LateChanges::Text() const {
  std::vector<std::string> parts;
  if (late) parts.push_back(fmt::format("{} late", late));
  if (corrected) parts.push_back(fmt::format("{} corrected", corrected));
  if (voided) parts.push_back(fmt::format("{} voided", voided));
  return parts.empty() ? std::string("no changes") : fmt::format("{}", fmt::join(parts, ", "));
}

Result<Statement> ComputeStatement(Ledger& ledger, const StatementInput& in) { return Evaluator(ledger, in).Run(); }

}  // namespace reckon
