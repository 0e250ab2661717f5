// Statement: evaluation of one contract over one billing period (SPEC §3.9, §4).
//
// ComputeStatement makes one pass over the vendor's records in the ledger
// (as of a given entry), decides for each record's effective revision
// whether it falls in the period and counts, feeds every aggregate, then
// evaluates metrics, fees, penalties, rewards and caps in the order of
// SPEC §3.9. The result is the statement JSON (without the "ledger" key):
// money as strings with exactly the currency's minor digits, metrics as
// exact decimal strings (or null when undefined), every line with explain.
//
// Invariants: amounts are exact rationals until each line is rounded once,
// with the contract's rounding mode; totals are sums of printed lines; the
// same ledger content gives byte-identical statements.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "ledger/ledger.h"

#include <nlohmann/json.hpp>

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// What earlier statements of the same contract contribute (windows, streaks).
struct PriorPeriod {
  std::string period;
  nlohmann::json statement;
};

// How one effective record of the period was treated (for the audit export).
struct RecordDecision {
  int64_t seq = 0;               // ledger entry of the effective revision
  std::string_view id;
  std::string_view revision;     // as stored ("0" when absent)
  bool counted = false;
  std::string_view reason;       // why it is excluded: "voided", "unverified", "records.where is false"
};

struct StatementInput {
  const Contract* contract = nullptr;
  Period period;
  int64_t as_of_seq = 0;                  // records with seq <= this count
  std::vector<PriorPeriod> prior;         // earlier settled periods, oldest first
  // Called on the evaluating thread for every effective record of the
  // period, in id order; optional.
  std::function<void(const RecordDecision&)> on_record;
};

Result<nlohmann::json> ComputeStatement(Ledger& ledger, const StatementInput& in);

// Human-readable rendering of a statement (for the CLI without --json).
std::string RenderStatementText(const nlohmann::json& st);

}  // namespace reckon
