// AdjustmentEntry: the typed payload of an `adjustment` ledger entry, the
// re-evaluation of a settled period because its records changed later
// (docs/records.md, "Late records and corrections"; byte layout in
// docs/ledger-format.md). Read only through ReadAdjustmentPayload, which
// checks every member and type and the nested statement (integrity errors
// naming the entry, never an abort).
#pragma once

#include "dsl/status.h"
#include "ledger/payload/money.h"
#include "ledger/payload/statement.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace reckon {

struct ChangeCounts {
  int64_t late = 0, corrected = 0, voided = 0;
};

struct AdjustmentEntry {
  std::string contract;
  int64_t version = 0;       // the contract version governing `period`
  std::string period;        // the settled period re-evaluated
  std::string posted_in;     // the period whose statement carries the line
  int64_t as_of_seq = 0;     // records with seq <= this were re-evaluated
  ChangeCounts changes;
  Money settled_before;      // its statement's net + earlier adjustments
  Money amount;              // re-evaluated net − settled_before
  std::string explain;
  Statement statement;       // the full re-evaluation
};

nlohmann::json AdjustmentJson(const AdjustmentEntry& a);
Result<AdjustmentEntry> ReadAdjustmentPayload(std::string_view payload, int64_t seq);

}  // namespace reckon
