// LedgerStatus: what `reckon status` reports (docs/cli.md, "reckon status"):
// the head and record count; per registered contract its versions, settled
// periods with their nets, the next period and when it is due, and the
// records changed since a settled period was last evaluated (an adjustment
// is pending); per vendor its records per period and the records that no
// registered contract covers.
//
// Cost: one pass over the records table (ordered by vendor, id, revision),
// plus one read of each statement and adjustment entry.
#pragma once

#include "dsl/status.h"
#include "dsl/timestamp.h"
#include "ledger/ledger.h"
#include "ledger/payload/money.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

struct SettledPeriod {
  std::string period;
  Money net;
  int64_t seq = 0;  // the statement entry
};

struct NextPeriod {
  std::string period;
  std::string due;  // when it may be settled, in the contract's zone
  bool is_due = false;
};

struct ContractStatus {
  std::string contract;
  std::string vendor;
  std::string currency;
  std::vector<int64_t> versions;          // registered, ascending
  std::vector<SettledPeriod> settled;     // in period order
  std::optional<NextPeriod> next;         // none once the effective range is settled
  std::map<std::string, int64_t> pending; // settled period -> records changed since its last evaluation
};

struct VendorStatus {
  std::string vendor;
  std::map<std::string, int64_t> periods;  // records (latest revisions) per period
  int64_t uncovered = 0;                    // records outside every registered contract of the vendor
  std::string period_kind;                  // the kind and zone periods are counted in
  std::string zone;
};

struct LedgerStatus {
  Head head;
  int64_t records = 0;                 // rows of the records table (every revision)
  std::vector<ContractStatus> contracts;
  std::vector<VendorStatus> vendors;
};

// `only`: a contract id or file (its vendor's records only), or empty for
// everything. `now` decides NextPeriod::is_due.
Result<LedgerStatus> ReadLedgerStatus(Ledger& ledger, const std::string& only, Timestamp now);

}  // namespace reckon
