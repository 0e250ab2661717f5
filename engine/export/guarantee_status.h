// GuaranteeStatus: every guarantee and SLA of a contract (its penalties and
// rewards) as target against actual for one recorded statement, with a
// status, for statement.html (docs/export.md, "statement.html").
#pragma once

#include "dsl/contract.h"
#include "ledger/payload/statement.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// kMet: a penalty's condition did not hold (no credit band matched), or a
// reward's condition held. kBreached: a penalty's condition held (a band
// matched). kNotMet: a reward's condition did not hold. kApplies: a rule
// without `when` (it always applies). kNotAssessed: the statement lists the
// rule as not assessed.
enum class GuaranteeState { kMet, kBreached, kNotMet, kApplies, kNotAssessed };

std::string_view GuaranteeStateName(GuaranteeState s);  // "met", "breached", "not met", ...

// One band of a credit schedule: the threshold and credit as written, and
// whether it is the band that applied.
struct ScheduleBand {
  std::string threshold;   // "99.9%"
  std::string credit;      // "10% * fees"
  bool applied = false;
};

struct GuaranteeStatus {
  std::string kind;        // "penalty" or "reward"
  std::string name;
  // What is measured against what, as written: "resolution_rate < 67%" (a
  // `when` of the form metric OP literal, or its condition text), or for a
  // schedule "availability below" with the bands in `bands`.
  std::string measure;     // the metric compared, "" for a general condition
  std::string target;      // the threshold as written ("67%"), or the condition text
  std::string op;          // "<", "<=", ">", ">=" when target is a threshold
  std::string actual;      // the metric's value (and as a percentage), or whether the condition held
  std::vector<ScheduleBand> bands;
  bool above = false;      // schedule bands: above (strict >) rather than below (strict <)
  GuaranteeState state = GuaranteeState::kNotAssessed;
  std::string reason;      // not assessed: why
  const StatementLine* line = nullptr;  // the rule's line, if it has one
};

// One entry per penalty then per reward of `contract`, in contract order.
std::vector<GuaranteeStatus> GuaranteeStatuses(const Contract& contract, const Statement& st);

}  // namespace reckon
