// Period: billing periods (monthly, quarterly, yearly), their ids, order and
// their bounds as instants in a contract's time zone.
//
// Invariants: a Period always holds a valid index for its kind (month 1-12,
// quarter 1-4, 1 for yearly); Parse accepts only the canonical id of the
// requested kind ("2026-10", "2026-Q4", "2026") with a year in 1678..2261, the
// range a Timestamp can represent. Bounds are local midnights (Zone::
// LocalMidnight) of the period's first day and of the next period's first
// day, so a period's length is the true elapsed time across DST changes.
#include "dsl/period.h"

#include <cstdlib>

namespace reckon {
namespace {

constexpr int kMinYear = 1678;
constexpr int kMaxYear = 2261;

bool AllDigits(std::string_view s) {
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  return !s.empty();
}

int ToInt(std::string_view s) {  // caller checked AllDigits, short
  int v = 0;
  for (char c : s) v = v * 10 + (c - '0');
  return v;
}

const char* ExpectedForm(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonthly: return "YYYY-MM, e.g. 2026-10";
    case PeriodKind::kQuarterly: return "YYYY-Qn, e.g. 2026-Q4";
    case PeriodKind::kYearly: return "YYYY, e.g. 2026";
  }
  return "";
}

// Strict parse of `id` as a period of `kind`; nullopt when it is not one.
std::optional<Period> TryParse(std::string_view id, PeriodKind kind) {
  if (id.size() < 4 || !AllDigits(id.substr(0, 4))) return std::nullopt;
  const int year = ToInt(id.substr(0, 4));
  if (year < kMinYear || year > kMaxYear) return std::nullopt;
  switch (kind) {
    case PeriodKind::kMonthly: {
      if (id.size() != 7 || id[4] != '-' || !AllDigits(id.substr(5, 2))) return std::nullopt;
      const int m = ToInt(id.substr(5, 2));
      if (m < 1 || m > 12) return std::nullopt;
      return Period(kind, year, m);
    }
    case PeriodKind::kQuarterly: {
      if (id.size() != 7 || id[4] != '-' || id[5] != 'Q' || id[6] < '1' || id[6] > '4') return std::nullopt;
      return Period(kind, year, id[6] - '0');
    }
    case PeriodKind::kYearly:
      if (id.size() != 4) return std::nullopt;
      return Period(kind, year, 1);
  }
  return std::nullopt;
}

}  // namespace

std::optional<PeriodKind> ParsePeriodKind(std::string_view name) {
  if (name == "monthly") return PeriodKind::kMonthly;
  if (name == "quarterly") return PeriodKind::kQuarterly;
  if (name == "yearly") return PeriodKind::kYearly;
  return std::nullopt;
}

std::string_view PeriodKindName(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::kMonthly: return "monthly";
    case PeriodKind::kQuarterly: return "quarterly";
    case PeriodKind::kYearly: return "yearly";
  }
  return "monthly";
}

Period::Period(PeriodKind kind, int year, int index) : kind_(kind), year_(year), index_(index) {
  const int max = kind == PeriodKind::kMonthly ? 12 : kind == PeriodKind::kQuarterly ? 4 : 1;
  if (index_ < 1) index_ = 1;
  if (index_ > max) index_ = max;
}

Result<Period> Period::Parse(std::string_view id, PeriodKind kind) {
  if (auto p = TryParse(id, kind)) return *p;
  std::string shown;
  for (size_t i = 0; i < id.size() && i < 32; ++i) {
    const unsigned char c = static_cast<unsigned char>(id[i]);
    shown.push_back(c < 0x20 || c == 0x7f ? '?' : static_cast<char>(c));
  }
  if (id.size() > 32) shown += "...";
  std::string msg = "period '" + shown + "' is not a " + std::string(PeriodKindName(kind)) +
                    " period (expected " + ExpectedForm(kind) + ")";
  // Say so when it is a valid id of another kind: the contract's period kind decides.
  for (PeriodKind other : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly}) {
    if (other != kind && TryParse(id, other)) {
      msg += "; it is a " + std::string(PeriodKindName(other)) + " period id";
      break;
    }
  }
  if (id.size() >= 4 && AllDigits(id.substr(0, 4))) {
    const int year = ToInt(id.substr(0, 4));
    if (year < kMinYear || year > kMaxYear) {
      msg += "; years " + std::to_string(kMinYear) + " to " + std::to_string(kMaxYear) + " are supported";
    }
  }
  return Status::Invalid(msg);
}

Period Period::Containing(PeriodKind kind, const CivilDate& d) {
  switch (kind) {
    case PeriodKind::kMonthly: return Period(kind, d.year, d.month);
    case PeriodKind::kQuarterly: return Period(kind, d.year, (d.month - 1) / 3 + 1);
    case PeriodKind::kYearly: return Period(kind, d.year, 1);
  }
  return Period(kind, d.year, 1);
}

std::string Period::Id() const {
  std::string y = std::to_string(year_);
  if (year_ >= 0 && y.size() < 4) y.insert(0, 4 - y.size(), '0');
  switch (kind_) {
    case PeriodKind::kMonthly: return y + (index_ < 10 ? "-0" : "-") + std::to_string(index_);
    case PeriodKind::kQuarterly: return y + "-Q" + std::to_string(index_);
    case PeriodKind::kYearly: return y;
  }
  return y;
}

CivilDate Period::FirstDay() const {
  switch (kind_) {
    case PeriodKind::kMonthly: return CivilDate{year_, index_, 1};
    case PeriodKind::kQuarterly: return CivilDate{year_, (index_ - 1) * 3 + 1, 1};
    case PeriodKind::kYearly: return CivilDate{year_, 1, 1};
  }
  return CivilDate{year_, 1, 1};
}

Period Period::Next() const {
  const int max = kind_ == PeriodKind::kMonthly ? 12 : kind_ == PeriodKind::kQuarterly ? 4 : 1;
  if (index_ < max) return Period(kind_, year_, index_ + 1);
  return Period(kind_, year_ + 1, 1);
}

Period Period::Prev() const {
  const int max = kind_ == PeriodKind::kMonthly ? 12 : kind_ == PeriodKind::kQuarterly ? 4 : 1;
  if (index_ > 1) return Period(kind_, year_, index_ - 1);
  return Period(kind_, year_ - 1, max);
}

PeriodBounds BoundsOf(const Period& p, const Zone& zone) {
  PeriodBounds b;
  b.start = zone.LocalMidnight(p.FirstDay());
  b.end = zone.LocalMidnight(p.Next().FirstDay());
  b.seconds = (b.end.ns - b.start.ns) / kNanosPerSecond;
  return b;
}

Period PeriodOf(Timestamp t, PeriodKind kind, const Zone& zone) {
  return Period::Containing(kind, zone.LocalDate(t));
}

bool IsPeriodStart(const CivilDate& d, PeriodKind kind) {
  return d == Period::Containing(kind, d).FirstDay();
}

}  // namespace reckon
