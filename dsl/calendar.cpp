// Calendar: civil dates over date/date.h (see calendar.h for the invariants).
//
// No hand-written calendar algorithm remains here: validation, days from/to
// civil and day arithmetic are date::year_month_day and date::sys_days, which
// are constexpr (checked by the static_asserts below) and allocate nothing.
// What is hand-written is the YYYY-MM-DD text, which date's parse would accept
// in looser forms (one-digit months, signs) than contracts allow.
#include "dsl/calendar.h"
#include "dsl/digits.h"

#include <date/date.h>

#include <chrono>

namespace reckon {
namespace {

static_assert(kMinCalendarYear == static_cast<int>(date::year::min()));
static_assert(kMaxCalendarYear == static_cast<int>(date::year::max()));

constexpr date::year_month_day Ymd(const CivilDate& d) {
  return date::year_month_day{date::year{d.year}, date::month{static_cast<unsigned>(d.month)},
                              date::day{static_cast<unsigned>(d.day)}};
}

constexpr CivilDate Civil(const date::year_month_day& ymd) {
  return CivilDate{static_cast<int>(ymd.year()), static_cast<int>(static_cast<unsigned>(ymd.month())),
                   static_cast<int>(static_cast<unsigned>(ymd.day()))};
}

constexpr int64_t kFirstDay = date::sys_days{date::year{kMinCalendarYear} / 1 / 1}.time_since_epoch().count();
constexpr int64_t kLastDay = date::sys_days{date::year{kMaxCalendarYear} / 12 / 31}.time_since_epoch().count();

constexpr int64_t Days(const CivilDate& d) { return date::sys_days{Ymd(d)}.time_since_epoch().count(); }

constexpr CivilDate FromDays(int64_t days) {
  const int64_t clamped = days < kFirstDay ? kFirstDay : days > kLastDay ? kLastDay : days;
  return Civil(date::year_month_day{date::sys_days{date::days{static_cast<int>(clamped)}}});
}

static_assert(Days({1970, 1, 1}) == 0);
static_assert(Days({2000, 3, 1}) == 11017);
static_assert(FromDays(11017) == CivilDate{2000, 3, 1});
static_assert(FromDays(-1) == CivilDate{1969, 12, 31});


}  // namespace

bool IsLeapYear(int year) { return date::year{year}.is_leap(); }

int DaysInMonth(int year, int month) {
  if (month < 1 || month > 12) return 0;
  const date::year_month_day_last last{date::year{year}, date::month_day_last{date::month{static_cast<unsigned>(month)}}};
  return static_cast<int>(static_cast<unsigned>(last.day()));
}

bool IsValidCivilDate(const CivilDate& d) {
  return d.year >= kMinCalendarYear && d.year <= kMaxCalendarYear && d.month >= 1 && d.month <= 12 &&
         d.day >= 1 && d.day <= 31 && Ymd(d).ok();
}

int64_t DaysFromCivil(const CivilDate& d) {
  if (d.year < kMinCalendarYear || d.year > kMaxCalendarYear) {
    return d.year < kMinCalendarYear ? kFirstDay : kLastDay;  // outside the contract; defined anyway
  }
  return Days(d);
}

CivilDate CivilFromDays(int64_t days) { return FromDays(days); }

int64_t DayOfSecond(int64_t seconds) {
  using Seconds = std::chrono::duration<int64_t>;
  using Days = std::chrono::duration<int64_t, std::ratio<kSecondsPerDay>>;
  return date::floor<Days>(Seconds{seconds}).count();
}

std::optional<CivilDate> ParseCivilDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  const int y1 = Two(text, 0), y2 = Two(text, 2), m = Two(text, 5), d = Two(text, 8);
  if (y1 < 0 || y2 < 0 || m < 0 || d < 0) return std::nullopt;
  const CivilDate date{y1 * 100 + y2, m, d};
  if (date.year < kMinCivilDateYear || !IsValidCivilDate(date)) return std::nullopt;
  return date;
}

std::string FormatCivilDate(const CivilDate& d) {
  std::string out;
  out.reserve(10);
  AppendPadded(out, d.year, 4);
  out.push_back('-');
  AppendPadded(out, d.month, 2);
  out.push_back('-');
  AppendPadded(out, d.day, 2);
  return out;
}

CivilDate AddDays(const CivilDate& d, int n) { return FromDays(DaysFromCivil(d) + n); }

}  // namespace reckon
