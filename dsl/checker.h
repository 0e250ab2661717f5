// Checker: resolves the names of an expression and computes its static type.
//
// Which names an expression may use depends on where it stands (docs/contract-language.md, "Expressions"):
//   kRecord  -- `records.where` and aggregate arguments: record fields and
//               period.* (period.start and period.end clip times to the period);
//   kMetric  -- a metric: aggregates, metrics, baselines.*, period.*;
//   kRule    -- fees, penalties, rewards, caps: metrics, baselines.*,
//               period.*, plus `fees` / `window.*` where the CheckEnv allows.
// After Check succeeds every node has its type, names have their NameKind
// and slot, and aggregate calls are registered in env.aggregates.
#pragma once

#include "dsl/suggest.h"

#include "dsl/contract.h"
#include "dsl/expr.h"

#include <optional>
#include <set>
#include <vector>

namespace reckon {

enum class ExprContext { kRecord, kMetric, kRule };

struct CheckEnv {
  ExprContext context = ExprContext::kRule;
  const Contract* contract = nullptr;          // fields, baselines, metrics so far
  const std::vector<Type>* metric_types = nullptr;  // by metric index; only metrics already checked
  bool allow_fees = false;
  bool allow_window = false;
  bool allow_totals = false;   // `reported:`: penalties, rewards, adjustments, net
  std::vector<AggregateSpec>* aggregates = nullptr;  // kMetric: where aggregate calls go
  std::set<int>* used_fields = nullptr;        // record fields referenced (for decoding)
  // Names whose definition was refused and reported (a baseline that is not
  // a literal): a use is typed as nothing, without a second error.
  const std::set<std::string>* refused_names = nullptr;
};

// Checks `e`, appending problems to `errors`. Returns the type, or nullopt
// when there was an error.
std::optional<Type> Check(Expr& e, const CheckEnv& env, std::vector<ExprError>& errors);

// The names an expression mentions outside aggregate value/filter arguments
// (those see record fields only): the candidates for metric dependencies.
void CollectNames(const Expr& e, std::vector<const Expr*>& names);


}  // namespace reckon
