// Calendar: civil dates of the proleptic Gregorian calendar (a year, a month,
// a day, with no time of day and no zone) and day arithmetic on them.
//
// Invariants:
// - There is one calendar in the project: Howard Hinnant's date library
//   (date/date.h, the algorithm std::chrono adopted in C++20). This header does
//   not include it, so that dsl/timestamp.h stays light; calendar.cpp does.
// - Days are counted from 1970-01-01 (day 0), as Timestamps are; days before
//   it are negative.
// - The functions here cover years kMinCalendarYear..kMaxCalendarYear (the
//   range of date::year); instants are limited far more narrowly (1678..2261,
//   see dsl/timestamp.h and docs/records.md).
// - Contract dates (ParseCivilDate) are YYYY-MM-DD with years kMinCivilDateYear..9999
//   (docs/contract-language.md).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reckon {

inline constexpr int64_t kSecondsPerDay = 86400;
// The years the calendar functions cover (those of date::year).
inline constexpr int kMinCalendarYear = -32767;
inline constexpr int kMaxCalendarYear = 32767;
// The first year ParseCivilDate accepts (four-digit years only, so the last is 9999).
inline constexpr int kMinCivilDateYear = 1400;

struct CivilDate {
  int year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
  auto operator<=>(const CivilDate&) const = default;
};

// Leap year of the Gregorian calendar (1900 is not, 2000 is).
bool IsLeapYear(int year);
// Days in `month` (1..12) of `year`: 28..31. 0 when the month is not 1..12.
int DaysInMonth(int year, int month);
// True when d names a real day (month 1..12, day 1..DaysInMonth) in
// kMinCalendarYear..kMaxCalendarYear.
bool IsValidCivilDate(const CivilDate& d);

// Days since 1970-01-01 of a valid date (see IsValidCivilDate); the result for
// an invalid date is unspecified but defined (no overflow, no crash).
int64_t DaysFromCivil(const CivilDate& d);
// The date `days` days after 1970-01-01 (negative = before). Days outside the
// calendar's years are clamped to its first or last day.
CivilDate CivilFromDays(int64_t days);
// The day (as counted by DaysFromCivil) holding second `seconds` since
// 1970-01-01T00:00:00: floor division, so second -1 is in day -1.
int64_t DayOfSecond(int64_t seconds);

// "YYYY-MM-DD", validated (2026-02-30 is refused). nullopt when invalid or the
// year is before kMinCivilDateYear.
std::optional<CivilDate> ParseCivilDate(std::string_view text);
std::string FormatCivilDate(const CivilDate& d);  // "2026-10-01"
// d (a valid date) plus n days (n may be negative); clamped like CivilFromDays.
CivilDate AddDays(const CivilDate& d, int n);

}  // namespace reckon
