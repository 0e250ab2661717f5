// When a period may be settled (see due.h).
#include "engine/due.h"

#include <limits>

namespace reckon {

PeriodDue DueOf(const Contract& contract, const Period& period) {
  PeriodDue d;
  d.ends = BoundsOf(period, contract.zone).end;
  // settle_after is at most a year (checked at load), so the sum stays in
  // int64 nanoseconds for every supported period end; clamp anyway.
  auto ns = (contract.settle_after * Number::FromInt(kNanosPerSecond)).Ceil().ToInt64();
  int64_t add = ns ? *ns : 0;
  d.due.ns = d.ends.ns > std::numeric_limits<int64_t>::max() - add ? std::numeric_limits<int64_t>::max() : d.ends.ns + add;
  return d;
}

std::string FormatInZone(const Contract& contract, Timestamp t) { return contract.zone.FormatLocal(t); }

std::string FormatSettleAfter(const Number& seconds) {
  for (auto [unit, size] : {std::pair{"d", 86400}, {"h", 3600}, {"m", 60}}) {
    auto n = seconds.Div(Number::FromInt(size));
    if (n && n->is_integer()) return n->ToString() + unit;
  }
  return seconds.ToString() + "s";
}

}  // namespace reckon
