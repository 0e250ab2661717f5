// Due: when a period of a contract may be settled (docs/cli.md, "Only ended
// periods"): once it has ended in the contract's time zone, plus the
// contract's `settle_after` (zero when absent), so that late data has arrived.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"

#include <string>

namespace reckon {

struct PeriodDue {
  Timestamp ends;  // the period's exclusive end in the contract's zone
  Timestamp due;   // ends + settle_after, rounded up to the nanosecond
  bool IsDue(Timestamp now) const { return now >= due; }
};

PeriodDue DueOf(const Contract& contract, const Period& period);

// "2027-07-01T00:00:00-04:00": an instant in the contract's zone, as
// statements print period bounds.
std::string FormatInZone(const Contract& contract, Timestamp t);

// settle_after as people write it: "3d", "12h", "90m", "45s".
std::string FormatSettleAfter(const Number& seconds);

}  // namespace reckon
