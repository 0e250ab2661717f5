// Eval: evaluates a checked expression to a Value, exactly.
//
// Semantics (docs/contract-language.md, "Expressions"): null (an absent field) and undefined (division by
// zero, an aggregate of an empty set) propagate through arithmetic,
// comparisons and functions; `coalesce(x, y)` replaces either with y.
// `and`/`or` short-circuit: `false and X` is false and `true or X` is true
// even when X is null or undefined; otherwise a null/undefined operand makes
// the result null/undefined. The caller decides what a non-boolean
// condition means (false in `where` and filters, "not assessed" in rules).
// Arithmetic whose exact result exceeds kMaxNumberBits gives undefined and
// records the node in EvalScope::oversized.
#pragma once

#include "dsl/expr.h"
#include "dsl/number.h"
#include "dsl/value.h"

#include <array>
#include <optional>
#include <vector>

namespace reckon {

struct EvalScope {
  const std::vector<Value>* fields = nullptr;      // by field slot (record context)
  const std::vector<Value>* metrics = nullptr;     // by metric index
  const std::vector<Value>* aggregates = nullptr;  // by aggregate index
  const std::vector<Value>* baselines = nullptr;   // by baseline index
  Number period_seconds;
  Timestamp period_start, period_end;              // period.start, period.end
  std::optional<Number> fees;
  std::array<Number, 3> window{};                  // fees, penalties, rewards
  std::array<Number, 4> totals{};                  // reported: penalties, rewards, adjustments, net
  RoundingMode rounding = RoundingMode::kHalfEven;
  int money_digits = -1;   // explain: print `fees` / `window.*` with these minor digits
  // Where to note the first node whose exact result is Oversized (see
  // number.h); that result is undefined. The caller turns it into an error.
  const Expr** oversized = nullptr;
  // Record fields that failed their declaration (by slot; evaluated as
  // null): the first one read is noted in *read_invalid (its slot; the
  // caller sets -1). Both null when no field failed.
  const std::vector<char>* invalid_fields = nullptr;
  int* read_invalid = nullptr;
};

Value Eval(const Expr& e, const EvalScope& scope);

// Renders the expression with every name's value filled in, for explain:
// "resolution_rate(0.652) < 0.67".
std::string ExplainExpr(const Expr& e, const EvalScope& scope);

}  // namespace reckon
