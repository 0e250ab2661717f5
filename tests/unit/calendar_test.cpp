// Unit tests for dsl/calendar: leap years, month lengths, validation, days
// from/to civil and day arithmetic at the edges the project cares about (the
// first and last day of the supported instants, 1678-01-01 and 2261-12-31;
// leap days; the century years 1900 and 2000). Expected day numbers are
// independent: they are the Unix timestamps of those dates divided by 86400
// (e.g. kMinTimestampNs / 1e9 / 86400 for 1678-01-01).
#include "dsl/calendar.h"
#include "dsl/timestamp.h"

#include <catch2/catch.hpp>

using reckon::CivilDate;

TEST_CASE("calendar: leap years and month lengths", "[calendar]") {
  CHECK(reckon::IsLeapYear(2000));
  CHECK_FALSE(reckon::IsLeapYear(1900));
  CHECK_FALSE(reckon::IsLeapYear(2100));
  CHECK(reckon::IsLeapYear(2028));
  CHECK_FALSE(reckon::IsLeapYear(2026));
  CHECK(reckon::IsLeapYear(1680));
  CHECK(reckon::DaysInMonth(2000, 2) == 29);
  CHECK(reckon::DaysInMonth(1900, 2) == 28);
  CHECK(reckon::DaysInMonth(2260, 2) == 29);
  CHECK(reckon::DaysInMonth(2026, 4) == 30);
  CHECK(reckon::DaysInMonth(2026, 12) == 31);
  CHECK(reckon::DaysInMonth(2026, 0) == 0);
  CHECK(reckon::DaysInMonth(2026, 13) == 0);
}

TEST_CASE("calendar: validation", "[calendar]") {
  CHECK(reckon::IsValidCivilDate({2000, 2, 29}));
  CHECK_FALSE(reckon::IsValidCivilDate({1900, 2, 29}));
  CHECK(reckon::IsValidCivilDate({1678, 1, 1}));
  CHECK(reckon::IsValidCivilDate({2261, 12, 31}));
  CHECK_FALSE(reckon::IsValidCivilDate({2026, 4, 31}));
  CHECK_FALSE(reckon::IsValidCivilDate({2026, 0, 1}));
  CHECK_FALSE(reckon::IsValidCivilDate({2026, 1, 0}));
  CHECK_FALSE(reckon::IsValidCivilDate({2026, 1, 300}));
  CHECK_FALSE(reckon::IsValidCivilDate({40000, 1, 1}));
  // Contract dates: four-digit years from kMinCivilDateYear.
  CHECK(reckon::ParseCivilDate("1678-01-01") == CivilDate{1678, 1, 1});
  CHECK(reckon::ParseCivilDate("2261-12-31") == CivilDate{2261, 12, 31});
  CHECK(reckon::ParseCivilDate("2000-02-29") == CivilDate{2000, 2, 29});
  CHECK(reckon::ParseCivilDate("1400-01-01") == CivilDate{1400, 1, 1});
  CHECK(reckon::ParseCivilDate("9999-12-31") == CivilDate{9999, 12, 31});
  CHECK_FALSE(reckon::ParseCivilDate("1900-02-29").has_value());
  CHECK_FALSE(reckon::ParseCivilDate("1399-12-31").has_value());
  CHECK_FALSE(reckon::ParseCivilDate("2026-1-01").has_value());
  CHECK_FALSE(reckon::ParseCivilDate("+026-01-01").has_value());
  CHECK(reckon::FormatCivilDate({1678, 1, 1}) == "1678-01-01");
  CHECK(reckon::FormatCivilDate({2261, 12, 31}) == "2261-12-31");
}

TEST_CASE("calendar: days from and to civil at the edges", "[calendar]") {
  struct Case {
    CivilDate date;
    int64_t days;
  };
  const Case cases[] = {
      {{1970, 1, 1}, 0},
      {{1969, 12, 31}, -1},
      {{1678, 1, 1}, -106650},  // kMinTimestampNs / 86400e9
      {{2261, 12, 31}, 106650},  // (kMaxTimestampNs + 1) / 86400e9 - 1
      {{1900, 2, 28}, -25509},
      {{1900, 3, 1}, -25508},  // 1900 has no Feb 29
      {{2000, 2, 29}, 11016},
      {{2000, 3, 1}, 11017},
      {{2028, 2, 29}, 21243},
      {{2026, 10, 1}, 20727},
  };
  for (const Case& c : cases) {
    INFO(reckon::FormatCivilDate(c.date));
    CHECK(reckon::DaysFromCivil(c.date) == c.days);
    CHECK(reckon::CivilFromDays(c.days) == c.date);
  }
  CHECK(reckon::DaysFromCivil({1678, 1, 1}) * reckon::kSecondsPerDay * reckon::kNanosPerSecond ==
        reckon::kMinTimestampNs);
  CHECK((reckon::DaysFromCivil({2261, 12, 31}) + 1) * reckon::kSecondsPerDay * reckon::kNanosPerSecond - 1 ==
        reckon::kMaxTimestampNs);
  // Floor division: the second before the epoch is in the day before it.
  CHECK(reckon::DayOfSecond(0) == 0);
  CHECK(reckon::DayOfSecond(-1) == -1);
  CHECK(reckon::DayOfSecond(86399) == 0);
  CHECK(reckon::DayOfSecond(-86400) == -1);
  CHECK(reckon::DayOfSecond(-86401) == -2);
  // Outside the calendar's years: clamped, never undefined.
  CHECK(reckon::CivilFromDays(int64_t{1} << 40) == CivilDate{reckon::kMaxCalendarYear, 12, 31});
  CHECK(reckon::CivilFromDays(-(int64_t{1} << 40)) == CivilDate{reckon::kMinCalendarYear, 1, 1});
}

TEST_CASE("calendar: day arithmetic across leap days and centuries", "[calendar]") {
  CHECK(reckon::AddDays({2000, 2, 28}, 1) == CivilDate{2000, 2, 29});
  CHECK(reckon::AddDays({2000, 2, 29}, 1) == CivilDate{2000, 3, 1});
  CHECK(reckon::AddDays({1900, 2, 28}, 1) == CivilDate{1900, 3, 1});
  CHECK(reckon::AddDays({2000, 3, 1}, -1) == CivilDate{2000, 2, 29});
  CHECK(reckon::AddDays({1678, 1, 1}, -1) == CivilDate{1677, 12, 31});
  CHECK(reckon::AddDays({2261, 12, 31}, 1) == CivilDate{2262, 1, 1});
  CHECK(reckon::AddDays({1678, 1, 1}, 213300) == CivilDate{2261, 12, 31});
  CHECK(reckon::AddDays({2261, 12, 31}, -213300) == CivilDate{1678, 1, 1});
  CHECK(reckon::AddDays({1899, 12, 31}, 36524) == CivilDate{1999, 12, 31});  // 1900 is not a leap year: 24 leap days
  CHECK(reckon::AddDays({1999, 12, 31}, 36526) == CivilDate{2100, 1, 1});  // 2000 is a leap year: 25 leap days
}
