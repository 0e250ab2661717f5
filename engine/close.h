// Close: the month-end of the whole portfolio (docs/cli.md, "reckon close").
//
// `reckon close --period P` settles P for every registered contract (or the
// ones named), in contract-id order, each in its own transaction, and goes
// on past a contract that cannot be settled. Each contract gets one status:
//   settled          settled now
//   already_settled  settled before (its recorded net)
//   not_due          P has not ended (plus settle_after) in its zone
//   out_of_range     P is outside its effective range
//   refused          anything else (an earlier period not settled, bad
//                    records, an integrity failure...): reason and exit code
// A month P closes a quarterly or yearly contract's period that contains it
// (which is due only once it has ended), so one command closes every kind.
// The exit code is 0 unless a contract was refused: then the highest exit
// code among the refusals.
#pragma once

#include "dsl/status.h"
#include "dsl/timestamp.h"
#include "ledger/ledger.h"
#include "ledger/payload/money.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

enum class CloseStatus { kSettled, kAlreadySettled, kNotDue, kOutOfRange, kRefused };
std::string_view CloseStatusName(CloseStatus s);

struct ClosedContract {
  std::string contract;
  int64_t version = 0;       // the version in force for the period (0 when none)
  std::string vendor;
  std::string currency;
  std::string period;        // the contract's period P stands for ("2026-Q4" for a quarterly one)
  CloseStatus status = CloseStatus::kRefused;
  std::optional<Money> net;  // settled and already_settled
  std::optional<int64_t> seq;  // its statement entry
  std::string reason;        // not_due, out_of_range, refused
  int exit_code = 0;         // refused: the exit code settle would give
};

struct CloseReport {
  std::string period;
  std::vector<ClosedContract> contracts;  // in contract-id order
  std::map<std::string, Money> totals;    // net per currency of settled and already settled
  int exit_code = 0;
};

// `only`: contract ids or files to close (empty: every registered contract).
// Errors are returned only for what stops the whole close before anything is
// settled: a bad period id, an unknown --contract, an unreadable ledger.
Result<CloseReport> ClosePeriod(Ledger& ledger, const std::string& period, const std::vector<std::string>& only, Timestamp now);

}  // namespace reckon
