// LineBuilder: the money of a statement, in the evaluation order of
// docs/contract-language.md: each fee line (rounded once), the commitment
// true-up (max(0, minimum − fees), rounded once), penalties (each
// limited by its own cap, rounded), the penalty caps per period and over the
// window, rewards and the reward cap, adjustment lines for earlier periods
// (oldest first), then the net minimum and maximum. Every line carries its
// explanation; a rule whose condition or amount is undefined is listed as not
// assessed instead.
//
// Invariant: amounts are exact until each line is rounded once to the
// currency's minor unit with the contract's rounding mode.
#pragma once

#include "dsl/eval.h"
#include "engine/statement.h"

#include <optional>
#include <string>
#include <vector>

namespace reckon {

// The exact (unrounded) amount of a per-unit fee (`per` with `price` or
// tiers) for `units`; the one pricing rule of fee lines and reconcile.
Number PerUnitFeeAmount(const Fee& f, const Number& units);

class LineBuilder {
 public:
  // `scope` must hold the metrics; `metric_values` are in Contract::metrics order.
  LineBuilder(const StatementInput& in, EvalScope& scope, const std::vector<Value>& metric_values);

  void Fees();       // also sets scope.fees
  void Commitment(); // the commitment true-up line (scope.fees stays the fee lines' sum)
  void Penalties();  // also sets scope.window when the contract has a window cap
  void Rewards();
  // `changes`: per watched period, as the record pass classified them.
  Status Adjustments(const std::vector<LateChanges>& changes);
  void NetCaps();

  std::vector<StatementLine> Lines() const;
  const std::vector<NotAssessedRule>& not_assessed() const { return not_assessed_; }

 private:
  struct Line {
    Line(LineKind k, std::string n, Number a, std::string e, std::optional<bool> c = std::nullopt, bool pc = false)
        : kind(k), name(std::move(n)), amount(std::move(a)), explain(std::move(e)), condition(c), penalty_cap(pc) {}
    LineKind kind;
    std::string name;
    Number amount;  // signed, rounded
    std::string explain;
    std::optional<bool> condition;
    bool penalty_cap = false;  // a `cap` line that gives back penalties (else rewards)
    std::string period;        // adjustment lines: the settled period adjusted
  };

  int Minor() const { return contract_.currency.minor_units; }
  Number Round(const Number& n) const { return n.Round(Minor(), contract_.rounding); }
  std::string MoneyText(const Number& n) const { return n.ToFixed(Minor(), contract_.rounding); }
  void NotAssessed(const std::string& kind, const std::string& name, std::string reason);
  std::string WhyMissing(const Expr& e, const std::string& what);
  std::optional<Line> RuleLine(const Rule& r, const std::string& kind);
  const Statement* PriorStatement(const std::string& period) const;
  bool HeldIn(const Rule& r, const Period& p) const;
  std::optional<Line> CapLine(const ExprSrc& limit_src, const Number& total, bool penalties, const std::string& name, const std::string& what);

  const StatementInput& in_;
  const Contract& contract_;
  EvalScope& scope_;
  const std::vector<Value>& metric_values_;
  std::vector<Line> lines_;
  std::vector<NotAssessedRule> not_assessed_;
  Number fees_;
};

}  // namespace reckon
