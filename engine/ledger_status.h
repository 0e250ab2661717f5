// LedgerStatus: what `reckon status` reports: the head, the record count,
// and per registered contract its versions, settled periods and the next
// open period.
#pragma once

#include "dsl/status.h"
#include "ledger/ledger.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

struct ContractStatus {
  std::string contract;
  std::string vendor;
  std::vector<int64_t> versions;        // registered, in registration order
  std::vector<std::string> settled;     // settled periods, in order
  std::optional<std::string> next;      // the period after the last settled one
};

struct LedgerStatus {
  Head head;
  int64_t records = 0;
  std::vector<ContractStatus> contracts;
};

// `only`: a contract id, or empty for every contract (kInvalidInput when
// `only` is not registered).
Result<LedgerStatus> ReadLedgerStatus(Ledger& ledger, const std::string& only);

}  // namespace reckon
