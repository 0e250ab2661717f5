// Guarantee status table (see guarantee_status.h).
#include "engine/export/guarantee_status.h"

#include "dsl/expr.h"
#include "dsl/number.h"

namespace reckon {

namespace {

// Decimals of the percentage shown beside a metric's exact value ("≈ 64.5124%").
constexpr int kPercentDigits = 4;

const Expr* ThresholdLiteral(const Expr& e) {
  return e.kind == Expr::Kind::kLiteral && e.type == Type::kNumber ? &e : nullptr;
}

// The metric's recorded value, and as a percentage when the threshold is
// written as one ("0.7234 (72.34%)", "0.645123916 (≈ 64.5124%)": the value itself is exact); "undefined" when the metric is.
std::string MetricActual(const Statement& st, const std::string& metric, std::string_view threshold) {
  const MetricValue* m = st.Metric(metric);
  if (!m || !m->value) return "undefined";
  std::string text = *m->value;
  if (!threshold.empty() && threshold.back() == '%') {
    if (auto n = Number::Parse(*m->value)) {
      Number pct = *n * Number::FromInt(100);
      std::string shown = pct.ToString(kPercentDigits);
      text += " (" + std::string(Number::Parse(shown) == pct ? "" : "\u2248 ") + shown + "%)";
    }
  }
  return text;
}

std::optional<Number> MetricNumber(const Statement& st, const std::string& metric) {
  const MetricValue* m = st.Metric(metric);
  if (!m || !m->value) return std::nullopt;
  return Number::Parse(*m->value);
}

const char* Flip(Op op) {
  switch (op) {
    case Op::kLt: return ">";
    case Op::kLe: return ">=";
    case Op::kGt: return "<";
    default: return "<=";
  }
}

GuaranteeStatus StatusOf(const Rule& r, std::string_view kind, const Contract& contract, const Statement& st) {
  GuaranteeStatus g;
  g.kind = kind;
  g.name = r.name;
  LineKind lk = kind == "penalty" ? LineKind::kPenalty : LineKind::kReward;
  for (auto& l : st.lines)
    if (l.kind == lk && l.name == r.name && l.period.empty()) g.line = &l;
  for (auto& n : st.not_assessed)
    if (n.kind == kind && n.name == r.name) { g.state = GuaranteeState::kNotAssessed; g.reason = n.reason; }

  if (!r.schedule.empty()) {
    if (r.schedule_metric >= 0 && size_t(r.schedule_metric) < contract.metrics.size()) g.measure = contract.metrics[r.schedule_metric].name;
    g.above = r.above;
    g.op = r.above ? ">" : "<";
    std::optional<Number> actual = MetricNumber(st, g.measure);
    // The band that applied: the most severe matching one, as settlement
    // chooses it; found here when every threshold is a number literal.
    bool all_literal = true;
    int hit = -1;
    Number hit_threshold;
    for (size_t i = 0; i < r.schedule.size(); ++i) {
      const Band& b = r.schedule[i];
      g.bands.push_back({b.threshold.text, b.credit.text, false});
      const Expr* lit = b.threshold.expr ? ThresholdLiteral(*b.threshold.expr) : nullptr;
      if (!lit || lit->literal.tag != Value::Tag::kNumber) { all_literal = false; continue; }
      const Number& t = lit->literal.num;
      if (!actual) continue;
      bool match = r.above ? *actual > t : *actual < t;
      bool more_severe = hit < 0 || (r.above ? hit_threshold < t : t < hit_threshold);
      if (match && more_severe) { hit = int(i); hit_threshold = t; }
    }
    g.actual = MetricActual(st, g.measure, r.schedule.front().threshold.text);
    if (g.state == GuaranteeState::kNotAssessed && !g.reason.empty()) return g;
    if (!g.line) { g.reason = "no line in the statement"; return g; }
    if (all_literal) {
      if (hit >= 0) g.bands[hit].applied = true;
      g.state = hit >= 0 ? GuaranteeState::kBreached : GuaranteeState::kMet;
    } else {
      // A threshold that is not a literal: the line's explanation says
      // whether a band matched ("is not below any band").
      g.state = g.line->explain.find(" any band (") != std::string::npos ? GuaranteeState::kMet : GuaranteeState::kBreached;
    }
    return g;
  }

  if (!r.when) {
    g.target = "always applies";
  } else {
    const Expr& w = *r.when.expr;
    bool simple = false;
    if (w.kind == Expr::Kind::kBinary && (w.op == Op::kLt || w.op == Op::kLe || w.op == Op::kGt || w.op == Op::kGe)) {
      const Expr& a = *w.args[0];
      const Expr& b = *w.args[1];
      if (a.kind == Expr::Kind::kName && a.name_kind == NameKind::kMetric && ThresholdLiteral(b)) {
        g.measure = a.name; g.op = std::string(OpText(w.op)); g.target = ExprText(b); simple = true;
      } else if (b.kind == Expr::Kind::kName && b.name_kind == NameKind::kMetric && ThresholdLiteral(a)) {
        g.measure = b.name; g.op = Flip(w.op); g.target = ExprText(a); simple = true;
      }
    }
    if (simple) {
      g.actual = MetricActual(st, g.measure, g.target);
    } else {
      g.target = r.when.text;
      if (g.line && g.line->condition) g.actual = *g.line->condition ? "held" : "did not hold";
    }
  }
  if (g.state == GuaranteeState::kNotAssessed && !g.reason.empty()) return g;
  if (!g.line) { g.reason = "no line in the statement"; return g; }
  if (!r.when) g.state = GuaranteeState::kApplies;
  else {
    bool held = g.line->condition.value_or(false);
    if (kind == "penalty") g.state = held ? GuaranteeState::kBreached : GuaranteeState::kMet;
    else g.state = held ? GuaranteeState::kMet : GuaranteeState::kNotMet;
  }
  return g;
}

}  // namespace

std::string_view GuaranteeStateName(GuaranteeState s) {
  switch (s) {
    case GuaranteeState::kMet: return "met";
    case GuaranteeState::kBreached: return "breached";
    case GuaranteeState::kNotMet: return "not met";
    case GuaranteeState::kApplies: return "applies";
    case GuaranteeState::kNotAssessed: return "not assessed";
  }
  return "not assessed";
}

std::vector<GuaranteeStatus> GuaranteeStatuses(const Contract& contract, const Statement& st) {
  std::vector<GuaranteeStatus> out;
  for (auto& r : contract.penalties) out.push_back(StatusOf(r, "penalty", contract, st));
  for (auto& r : contract.rewards) out.push_back(StatusOf(r, "reward", contract, st));
  return out;
}

}  // namespace reckon
