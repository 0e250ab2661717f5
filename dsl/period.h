// Period: billing periods (monthly, quarterly, yearly) and their bounds.
//
// Period ids: monthly "2026-10", quarterly "2026-Q4", yearly "2026". A period
// starts at local midnight of its first day in the contract's zone and ends
// (exclusive) at local midnight of the next period's first day; its length in
// seconds is the true elapsed time (a DST month is 743 or 721 hours).
#pragma once

#include "dsl/status.h"
#include "dsl/timestamp.h"

#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace reckon {

enum class PeriodKind { kMonthly, kQuarterly, kYearly };

// "monthly" | "quarterly" | "yearly"
std::optional<PeriodKind> ParsePeriodKind(std::string_view name);
std::string_view PeriodKindName(PeriodKind kind);

class Period {
 public:
  Period() = default;
  Period(PeriodKind kind, int year, int index);  // index: month 1-12, quarter 1-4, 1 for yearly

  // Parses an id of the given kind. Error (kInvalidInput) says which form is
  // expected: "period '2026-13' is not a monthly period (expected YYYY-MM)".
  static Result<Period> Parse(std::string_view id, PeriodKind kind);
  // The period of `kind` that contains local date d.
  static Period Containing(PeriodKind kind, const CivilDate& d);

  PeriodKind kind() const { return kind_; }
  int year() const { return year_; }
  int index() const { return index_; }
  std::string Id() const;
  CivilDate FirstDay() const;
  Period Next() const;
  Period Prev() const;
  auto operator<=>(const Period&) const = default;

 private:
  PeriodKind kind_ = PeriodKind::kMonthly;
  int year_ = 1970;
  int index_ = 1;
};

struct PeriodBounds {
  Timestamp start;          // inclusive
  Timestamp end;            // exclusive
  int64_t seconds = 0;      // end - start in whole seconds
};

PeriodBounds BoundsOf(const Period& p, const Zone& zone);
// The period of `kind` containing instant t in `zone`.
Period PeriodOf(Timestamp t, PeriodKind kind, const Zone& zone);
// True when d is the first day of some period of `kind`.
bool IsPeriodStart(const CivilDate& d, PeriodKind kind);

}  // namespace reckon
