// Unit tests for dsl/period and dsl/timestamp: period ids and order, bounds in
// time zones (incl. DST), timestamp parsing and formatting, local times.
#include "dsl/period.h"
#include "dsl/timestamp.h"

#include <catch2/catch.hpp>

#include <string>

using reckon::BoundsOf;
using reckon::CivilDate;
using reckon::FormatUtc;
using reckon::IsPeriodStart;
using reckon::kNanosPerSecond;
using reckon::ParseTimestamp;
using reckon::Period;
using reckon::PeriodKind;
using reckon::PeriodOf;
using reckon::Timestamp;
using reckon::Zone;

namespace {

Zone FindZone(const char* name) {
  auto z = Zone::Find(name);
  REQUIRE(z.ok());
  return *z;
}

Timestamp Ts(const char* text, const Zone* zone = nullptr) {
  auto t = ParseTimestamp(text, zone);
  INFO(text << ": " << t.status().message());
  REQUIRE(t.ok());
  return *t;
}

std::string ParseError(const char* text, const Zone* zone = nullptr) {
  auto t = ParseTimestamp(text, zone);
  REQUIRE_FALSE(t.ok());
  CHECK(t.status().kind() == reckon::ErrorKind::kInvalidInput);
  return t.status().message();
}

Period P(const char* id, PeriodKind kind) {
  auto p = Period::Parse(id, kind);
  INFO(id << ": " << p.status().message());
  REQUIRE(p.ok());
  CHECK(p->Id() == id);
  return *p;
}

constexpr int64_t kHour = 3600;

}  // namespace

// ---- periods -----------------------------------------------------------------

TEST_CASE("period: kind names", "[period]") {
  for (auto k : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly}) {
    auto back = reckon::ParsePeriodKind(reckon::PeriodKindName(k));
    REQUIRE(back.has_value());
    CHECK(*back == k);
  }
  CHECK_FALSE(reckon::ParsePeriodKind("weekly").has_value());
  CHECK_FALSE(reckon::ParsePeriodKind("Monthly").has_value());
}

TEST_CASE("period: parse ids of each kind", "[period]") {
  Period m = P("2026-10", PeriodKind::kMonthly);
  CHECK(m.kind() == PeriodKind::kMonthly);
  CHECK(m.year() == 2026);
  CHECK(m.index() == 10);
  CHECK(m.FirstDay() == CivilDate{2026, 10, 1});
  Period q = P("2026-Q4", PeriodKind::kQuarterly);
  CHECK(q.index() == 4);
  CHECK(q.FirstDay() == CivilDate{2026, 10, 1});
  CHECK(P("2026-Q1", PeriodKind::kQuarterly).FirstDay() == CivilDate{2026, 1, 1});
  CHECK(P("2026-Q2", PeriodKind::kQuarterly).FirstDay() == CivilDate{2026, 4, 1});
  CHECK(P("2026-Q3", PeriodKind::kQuarterly).FirstDay() == CivilDate{2026, 7, 1});
  Period y = P("2026", PeriodKind::kYearly);
  CHECK(y.index() == 1);
  CHECK(y.FirstDay() == CivilDate{2026, 1, 1});
  CHECK(P("2026-01", PeriodKind::kMonthly).Id() == "2026-01");
  CHECK(Period(PeriodKind::kMonthly, 2026, 3).Id() == "2026-03");
}

TEST_CASE("period: mismatched kinds and malformed ids are errors", "[period]") {
  struct Bad {
    const char* id;
    PeriodKind kind;
  };
  for (Bad b : {Bad{"2026-13", PeriodKind::kMonthly}, Bad{"2026-00", PeriodKind::kMonthly},
                Bad{"2026-1", PeriodKind::kMonthly}, Bad{"2026-10-01", PeriodKind::kMonthly},
                Bad{"26-10", PeriodKind::kMonthly}, Bad{"2026/10", PeriodKind::kMonthly},
                Bad{"2026-Q4", PeriodKind::kMonthly}, Bad{"2026", PeriodKind::kMonthly},
                Bad{"2026-10", PeriodKind::kQuarterly}, Bad{"2026-Q5", PeriodKind::kQuarterly},
                Bad{"2026-Q0", PeriodKind::kQuarterly}, Bad{"2026-q4", PeriodKind::kQuarterly},
                Bad{"2026Q4", PeriodKind::kQuarterly}, Bad{"2026", PeriodKind::kQuarterly},
                Bad{"2026-10", PeriodKind::kYearly}, Bad{"2026-Q4", PeriodKind::kYearly},
                Bad{"20265", PeriodKind::kYearly}, Bad{"", PeriodKind::kYearly}, Bad{" 2026", PeriodKind::kYearly},
                Bad{"0999", PeriodKind::kYearly}, Bad{"9999-01", PeriodKind::kMonthly}}) {
    auto p = Period::Parse(b.id, b.kind);
    INFO(b.id);
    REQUIRE_FALSE(p.ok());
    CHECK(p.status().kind() == reckon::ErrorKind::kInvalidInput);
  }
  auto e = Period::Parse("2026-13", PeriodKind::kMonthly);
  CHECK(e.status().message() == "period '2026-13' is not a monthly period (expected YYYY-MM, e.g. 2026-10)");
  auto q = Period::Parse("2026-Q4", PeriodKind::kMonthly);
  CHECK_THAT(q.status().message(), Catch::Contains("it is a quarterly period id"));
  auto y = Period::Parse("2026-10", PeriodKind::kYearly);
  CHECK_THAT(y.status().message(), Catch::Contains("expected YYYY"));
}

TEST_CASE("period: Next and Prev across year boundaries", "[period]") {
  CHECK(P("2026-12", PeriodKind::kMonthly).Next().Id() == "2027-01");
  CHECK(P("2027-01", PeriodKind::kMonthly).Prev().Id() == "2026-12");
  CHECK(P("2026-10", PeriodKind::kMonthly).Next().Id() == "2026-11");
  CHECK(P("2026-10", PeriodKind::kMonthly).Prev().Id() == "2026-09");
  CHECK(P("2026-Q4", PeriodKind::kQuarterly).Next().Id() == "2027-Q1");
  CHECK(P("2027-Q1", PeriodKind::kQuarterly).Prev().Id() == "2026-Q4");
  CHECK(P("2026-Q2", PeriodKind::kQuarterly).Next().Id() == "2026-Q3");
  CHECK(P("2026", PeriodKind::kYearly).Next().Id() == "2027");
  CHECK(P("2026", PeriodKind::kYearly).Prev().Id() == "2025");
  Period p = P("2026-05", PeriodKind::kMonthly);
  CHECK(p.Next().Prev() == p);
  CHECK(p < p.Next());
  CHECK(p.Prev() < p);
  CHECK(P("2026-12", PeriodKind::kMonthly) < P("2027-01", PeriodKind::kMonthly));
}

TEST_CASE("period: Containing and IsPeriodStart", "[period]") {
  CHECK(Period::Containing(PeriodKind::kMonthly, {2026, 10, 31}).Id() == "2026-10");
  CHECK(Period::Containing(PeriodKind::kQuarterly, {2026, 10, 31}).Id() == "2026-Q4");
  CHECK(Period::Containing(PeriodKind::kQuarterly, {2026, 3, 31}).Id() == "2026-Q1");
  CHECK(Period::Containing(PeriodKind::kQuarterly, {2026, 4, 1}).Id() == "2026-Q2");
  CHECK(Period::Containing(PeriodKind::kYearly, {2026, 12, 31}).Id() == "2026");
  CHECK(IsPeriodStart({2026, 10, 1}, PeriodKind::kMonthly));
  CHECK_FALSE(IsPeriodStart({2026, 10, 2}, PeriodKind::kMonthly));
  CHECK(IsPeriodStart({2026, 10, 1}, PeriodKind::kQuarterly));
  CHECK_FALSE(IsPeriodStart({2026, 11, 1}, PeriodKind::kQuarterly));
  CHECK(IsPeriodStart({2026, 1, 1}, PeriodKind::kYearly));
  CHECK_FALSE(IsPeriodStart({2026, 10, 1}, PeriodKind::kYearly));
}

TEST_CASE("period: bounds in UTC", "[period]") {
  const Zone utc = Zone::Utc();
  auto nov = BoundsOf(P("2026-11", PeriodKind::kMonthly), utc);
  CHECK(nov.seconds == 720 * kHour);
  CHECK(FormatUtc(nov.start) == "2026-11-01T00:00:00Z");
  CHECK(FormatUtc(nov.end) == "2026-12-01T00:00:00Z");
  CHECK(BoundsOf(P("2026-03", PeriodKind::kMonthly), utc).seconds == 744 * kHour);
  CHECK(BoundsOf(P("2026-02", PeriodKind::kMonthly), utc).seconds == 28 * 24 * kHour);
  CHECK(BoundsOf(P("2028-02", PeriodKind::kMonthly), utc).seconds == 29 * 24 * kHour);
  CHECK(BoundsOf(P("2026-Q4", PeriodKind::kQuarterly), utc).seconds == 92 * 24 * kHour);
  CHECK(BoundsOf(P("2026-Q1", PeriodKind::kQuarterly), utc).seconds == 90 * 24 * kHour);
  CHECK(BoundsOf(P("2026", PeriodKind::kYearly), utc).seconds == 365 * 24 * kHour);
  CHECK(BoundsOf(P("2028", PeriodKind::kYearly), utc).seconds == 366 * 24 * kHour);
  CHECK(utc.FormatLocal(nov.start) == "2026-11-01T00:00:00+00:00");
}

TEST_CASE("period: DST month lengths in America/New_York (spec section 9)", "[period]") {
  const Zone ny = FindZone("America/New_York");
  auto nov = BoundsOf(P("2026-11", PeriodKind::kMonthly), ny);
  CHECK(nov.seconds == 721 * kHour);
  CHECK(nov.seconds == 2595600);
  CHECK((nov.end.ns - nov.start.ns) == 2595600 * kNanosPerSecond);
  auto mar = BoundsOf(P("2026-03", PeriodKind::kMonthly), ny);
  CHECK(mar.seconds == 743 * kHour);
  CHECK(BoundsOf(P("2026-10", PeriodKind::kMonthly), ny).seconds == 744 * kHour);
  auto oct = BoundsOf(P("2026-10", PeriodKind::kMonthly), ny);
  CHECK(ny.FormatLocal(oct.start) == "2026-10-01T00:00:00-04:00");
  CHECK(ny.FormatLocal(oct.end) == "2026-11-01T00:00:00-04:00");
  CHECK(FormatUtc(oct.start) == "2026-10-01T04:00:00Z");
  CHECK(ny.FormatLocal(nov.end) == "2026-12-01T00:00:00-05:00");
  // Quarters and the year: the DST hours cancel over a year.
  CHECK(BoundsOf(P("2026-Q4", PeriodKind::kQuarterly), ny).seconds == (92 * 24 + 1) * kHour);
  CHECK(BoundsOf(P("2026-Q1", PeriodKind::kQuarterly), ny).seconds == (90 * 24 - 1) * kHour);
  CHECK(BoundsOf(P("2026", PeriodKind::kYearly), ny).seconds == 365 * 24 * kHour);
  auto q4 = BoundsOf(P("2026-Q4", PeriodKind::kQuarterly), ny);
  CHECK(ny.FormatLocal(q4.end) == "2027-01-01T00:00:00-05:00");
}

TEST_CASE("period: southern hemisphere and far-future DST", "[period]") {
  const Zone syd = FindZone("Australia/Sydney");
  // DST ends on 5 April 2026 (one hour longer) and starts on 4 October 2026 (one hour shorter).
  CHECK(BoundsOf(P("2026-04", PeriodKind::kMonthly), syd).seconds == (30 * 24 + 1) * kHour);
  CHECK(BoundsOf(P("2026-10", PeriodKind::kMonthly), syd).seconds == (31 * 24 - 1) * kHour);
  // Past the last transition listed in the tzdata file (2037) the zone's rule still applies.
  const Zone ny = FindZone("America/New_York");
  CHECK(BoundsOf(P("2040-11", PeriodKind::kMonthly), ny).seconds == 721 * kHour);
  CHECK(BoundsOf(P("2040-03", PeriodKind::kMonthly), ny).seconds == 743 * kHour);
  CHECK(ny.FormatLocal(Ts("2045-07-01T12:00:00Z")) == "2045-07-01T08:00:00-04:00");
  CHECK(ny.FormatLocal(Ts("2045-01-01T12:00:00Z")) == "2045-01-01T07:00:00-05:00");
  CHECK_FALSE(ParseTimestamp("2040-03-11T02:30", &ny).ok());
}

TEST_CASE("period: PeriodOf near boundaries in New York", "[period]") {
  const Zone ny = FindZone("America/New_York");
  CHECK(PeriodOf(Ts("2026-11-01T03:59:59Z"), PeriodKind::kMonthly, ny).Id() == "2026-10");
  CHECK(PeriodOf(Ts("2026-11-01T04:00:00Z"), PeriodKind::kMonthly, ny).Id() == "2026-11");
  CHECK(PeriodOf(Ts("2026-11-01T03:59:59.999999999Z"), PeriodKind::kMonthly, ny).Id() == "2026-10");
  CHECK(PeriodOf(Ts("2026-10-01T03:59:59Z"), PeriodKind::kQuarterly, ny).Id() == "2026-Q3");
  CHECK(PeriodOf(Ts("2026-10-01T04:00:00Z"), PeriodKind::kQuarterly, ny).Id() == "2026-Q4");
  CHECK(PeriodOf(Ts("2027-01-01T04:59:59Z"), PeriodKind::kYearly, ny).Id() == "2026");
  CHECK(PeriodOf(Ts("2027-01-01T05:00:00Z"), PeriodKind::kYearly, ny).Id() == "2027");
  CHECK(PeriodOf(Ts("2026-11-01T03:59:59Z"), PeriodKind::kMonthly, Zone::Utc()).Id() == "2026-11");
  CHECK(PeriodOf(Ts("2026-10-31T23:59:59Z"), PeriodKind::kMonthly, Zone::Utc()).Id() == "2026-10");
  // Every bound belongs to its own period, and the instant before it to the previous one.
  Period p = P("2026-01", PeriodKind::kMonthly);
  for (int i = 0; i < 24; ++i, p = p.Next()) {
    auto b = BoundsOf(p, ny);
    CHECK(PeriodOf(b.start, PeriodKind::kMonthly, ny) == p);
    CHECK(PeriodOf(Timestamp{b.end.ns - 1}, PeriodKind::kMonthly, ny) == p);
    CHECK(PeriodOf(b.end, PeriodKind::kMonthly, ny) == p.Next());
  }
}

// ---- zones -------------------------------------------------------------------

TEST_CASE("period: zone lookup", "[period]") {
  auto utc = Zone::Find("UTC");
  REQUIRE(utc.ok());
  CHECK(utc->is_utc());
  auto etc = Zone::Find("Etc/UTC");
  REQUIRE(etc.ok());
  CHECK(etc->is_utc());
  CHECK(Zone::Utc().is_utc());
  CHECK(Zone::Utc().name() == "UTC");
  auto ny = Zone::Find("America/New_York");
  REQUIRE(ny.ok());
  CHECK_FALSE(ny->is_utc());
  CHECK(ny->name() == "America/New_York");
  auto again = Zone::Find("America/New_York");  // cached
  REQUIRE(again.ok());
  CHECK(again->name() == "America/New_York");
  for (const char* bad : {"America/Nowhere", "", "utc", "../../etc/passwd", "/usr/share/zoneinfo/UTC",
                          "America//New_York", "localtime", "right/America/New_York", "EST5EDT ", "Mars/Olympus"}) {
    auto z = Zone::Find(bad);
    INFO("'" << bad << "'");
    REQUIRE_FALSE(z.ok());
    CHECK(z.status().kind() == reckon::ErrorKind::kInvalidInput);
  }
  CHECK_THAT(Zone::Find("America/Nowhere").status().message(), Catch::Contains("'America/Nowhere'"));
}

TEST_CASE("period: zone offsets, local dates and midnights", "[period]") {
  const Zone ny = FindZone("America/New_York");
  CHECK(ny.OffsetSeconds(Ts("2026-07-01T12:00:00Z")) == -4 * 3600);
  CHECK(ny.OffsetSeconds(Ts("2026-12-01T12:00:00Z")) == -5 * 3600);
  CHECK(Zone::Utc().OffsetSeconds(Ts("2026-07-01T12:00:00Z")) == 0);
  CHECK(ny.LocalDate(Ts("2026-10-02T03:59:59Z")) == CivilDate{2026, 10, 1});
  CHECK(ny.LocalDate(Ts("2026-10-02T04:00:00Z")) == CivilDate{2026, 10, 2});
  CHECK(ny.FormatLocal(Ts("2026-10-03T18:05:00.25Z")) == "2026-10-03T14:05:00.25-04:00");
  const Zone kolkata = FindZone("Asia/Kolkata");
  CHECK(kolkata.FormatLocal(Ts("2026-10-03T18:05:00Z")) == "2026-10-03T23:35:00+05:30");
  CHECK(kolkata.LocalDate(Ts("2026-10-03T18:30:00Z")) == CivilDate{2026, 10, 4});
  // Midnight does not exist on DST days in America/Santiago (clocks 24:00 -> 01:00):
  // LocalMidnight is then the first instant after the gap.
  const Zone santiago = FindZone("America/Santiago");
  Timestamp m = santiago.LocalMidnight({2026, 9, 6});
  CHECK(santiago.FormatLocal(m) == "2026-09-06T01:00:00-03:00");
  CHECK(santiago.FormatLocal(Timestamp{m.ns - kNanosPerSecond}) == "2026-09-05T23:59:59-04:00");
}

TEST_CASE("period: local times in DST gaps and overlaps", "[period]") {
  const Zone ny = FindZone("America/New_York");
  auto gap = ny.FromLocal({2026, 3, 8}, 2, 30, 0);
  REQUIRE_FALSE(gap.ok());
  CHECK_THAT(gap.status().message(), Catch::Contains("does not exist in America/New_York"));
  auto before = ny.FromLocal({2026, 3, 8}, 1, 59, 59 * kNanosPerSecond);
  REQUIRE(before.ok());
  CHECK(FormatUtc(*before) == "2026-03-08T06:59:59Z");
  auto after = ny.FromLocal({2026, 3, 8}, 3, 0, 0);
  REQUIRE(after.ok());
  CHECK(FormatUtc(*after) == "2026-03-08T07:00:00Z");
  // 01:30 on 1 November 2026 happens twice: the earlier instant (EDT) is taken.
  auto overlap = ny.FromLocal({2026, 11, 1}, 1, 30, 0);
  REQUIRE(overlap.ok());
  CHECK(FormatUtc(*overlap) == "2026-11-01T05:30:00Z");
  CHECK(ny.FormatLocal(*overlap) == "2026-11-01T01:30:00-04:00");
  auto utc = Zone::Utc().FromLocal({2026, 3, 8}, 2, 30, 500000000);
  REQUIRE(utc.ok());
  CHECK(FormatUtc(*utc) == "2026-03-08T02:30:00.5Z");
}

// ---- timestamps --------------------------------------------------------------

TEST_CASE("period: timestamp parse accepts Z and offsets", "[period]") {
  CHECK(Ts("1970-01-01T00:00:00Z").ns == 0);
  CHECK(Ts("1970-01-01T00:00:01Z").ns == kNanosPerSecond);
  CHECK(Ts("1969-12-31T23:59:59Z").ns == -kNanosPerSecond);
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00-04:00")) == "2026-10-03T18:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05-04:00")) == "2026-10-03T18:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03 14:05:00+05:30")) == "2026-10-03T08:35:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00z")) == "2026-10-03T14:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00+00:00")) == "2026-10-03T14:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00-00:00")) == "2026-10-03T14:05:00Z");
  CHECK(FormatUtc(Ts("2026-12-31T23:30:00-01:00")) == "2027-01-01T00:30:00Z");
  CHECK(FormatUtc(Ts("2028-02-29T12:00:00Z")) == "2028-02-29T12:00:00Z");
  CHECK(FormatUtc(Ts("2000-02-29T00:00:00Z")) == "2000-02-29T00:00:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T23:59:59Z")) == "2026-10-03T23:59:59Z");
  // Fractional seconds: 1 to 9 digits.
  CHECK(Ts("1970-01-01T00:00:00.5Z").ns == 500000000);
  CHECK(Ts("1970-01-01T00:00:00.123456789Z").ns == 123456789);
  CHECK(Ts("1970-01-01T00:00:00.000000001Z").ns == 1);
  CHECK(Ts("1969-12-31T23:59:59.5Z").ns == -500000000);
  CHECK(FormatUtc(Ts("2026-10-03T18:05:00.120Z")) == "2026-10-03T18:05:00.12Z");
  CHECK(FormatUtc(Ts("2026-10-03T18:05:00.000Z")) == "2026-10-03T18:05:00Z");
  CHECK(FormatUtc(Timestamp{-1}) == "1969-12-31T23:59:59.999999999Z");
  // Range ends.
  CHECK(FormatUtc(Ts("1678-01-01T00:00:00Z")) == "1678-01-01T00:00:00Z");
  CHECK(FormatUtc(Ts("2261-12-31T23:59:59.999999999Z")) == "2261-12-31T23:59:59.999999999Z");
}

TEST_CASE("period: timestamp parse rejects bad text with clear messages", "[period]") {
  CHECK(ParseError("2026-10-03T14:05:00") ==
        "timestamp '2026-10-03T14:05:00' has no time zone; add Z or an offset such as -04:00, or pass --timezone");
  CHECK(ParseError("2026-02-30T10:00:00Z") ==
        "timestamp '2026-02-30T10:00:00Z' has an invalid date (February 2026 has 28 days)");
  CHECK(ParseError("2026-04-31T10:00:00Z") ==
        "timestamp '2026-04-31T10:00:00Z' has an invalid date (April 2026 has 30 days)");
  CHECK_THAT(ParseError("2027-02-29T10:00:00Z"), Catch::Contains("February 2027 has 28 days"));
  CHECK_THAT(ParseError("1900-02-29T10:00:00Z"), Catch::Contains("February 1900 has 28 days"));
  CHECK_THAT(ParseError("2026-10-03T24:00:00Z"), Catch::Contains("invalid hour 24"));
  CHECK_THAT(ParseError("2026-10-03T23:60:00Z"), Catch::Contains("invalid minute 60"));
  CHECK_THAT(ParseError("2026-10-03T23:59:60Z"), Catch::Contains("leap seconds"));
  CHECK_THAT(ParseError("2026-13-03T10:00:00Z"), Catch::Contains("invalid month 13"));
  CHECK_THAT(ParseError("2026-00-03T10:00:00Z"), Catch::Contains("invalid month 00"));
  CHECK_THAT(ParseError("2026-10-00T10:00:00Z"), Catch::Contains("invalid day 00"));
  CHECK_THAT(ParseError("2026-10-03T10:00:00.1234567891Z"), Catch::Contains("more than 9 fractional"));
  CHECK_THAT(ParseError("2026-10-03T10:00:00.Z"), Catch::Contains("without fractional second digits"));
  for (const char* off : {"+0400", "+04", "+4:00", "+24:00", "+04:60", "+04:00:00", "-04:0"}) {
    const std::string text = std::string("2026-10-03T10:00:00") + off;
    INFO(text);
    CHECK_THAT(ParseError(text.c_str()), Catch::Contains("invalid UTC offset"));
  }
  CHECK_THAT(ParseError("2026-10-03"), Catch::Contains("has no time of day"));
  CHECK_THAT(ParseError("1677-01-01T00:00:00Z"), Catch::Contains("outside the supported range"));
  CHECK_THAT(ParseError("2262-01-01T00:00:00Z"), Catch::Contains("outside the supported range"));
  for (const char* bad : {"", "2026", "2026-10-03T", "2026-10-03T10", "2026-10-03T10:0Z", "2026-10-03X10:00:00Z",
                          "2026-10-03t10:00:00Z", "2026-10-03  10:00:00Z", "2026/10/03T10:00:00Z", "26-10-03T10:00:00Z",
                          "2026-10-03T10:00:00ZZ", "2026-10-03T10:00:00 Z", "2026-10-03T10:00:00UTC",
                          "2026-10-03T10:00:00.5", " 2026-10-03T10:00:00Z", "2026-10-03T10:00:00Z ",
                          "2026-10-03T10:00:5Z", "+2026-10-03T10:00:00Z", "2026-1-03T10:00:00Z"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(ParseTimestamp(bad).ok());
  }
  // Long junk is shortened in the message.
  const std::string junk(500, 'x');
  auto r = ParseTimestamp(junk);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().size() < 250);
}

TEST_CASE("period: timestamp parse with a default zone (--timezone)", "[period]") {
  const Zone ny = FindZone("America/New_York");
  const Zone utc = Zone::Utc();
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00", &ny)) == "2026-10-03T18:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03 14:05", &ny)) == "2026-10-03T18:05:00Z");
  CHECK(FormatUtc(Ts("2026-12-03T14:05:00.5", &ny)) == "2026-12-03T19:05:00.5Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00", &utc)) == "2026-10-03T14:05:00Z");
  // An explicit designator wins over the default zone.
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00Z", &ny)) == "2026-10-03T14:05:00Z");
  CHECK(FormatUtc(Ts("2026-10-03T14:05:00+02:00", &ny)) == "2026-10-03T12:05:00Z");
  // The DST gap is an error; the overlap takes the earlier instant.
  const std::string gap = ParseError("2026-03-08T02:30", &ny);
  CHECK_THAT(gap, Catch::StartsWith("timestamp '2026-03-08T02:30' does not exist in America/New_York"));
  CHECK_THAT(gap, Catch::Contains("02:00 to 03:00"));
  CHECK_FALSE(ParseTimestamp("2026-03-08T02:00:00", &ny).ok());
  CHECK_FALSE(ParseTimestamp("2026-03-08T02:59:59.999", &ny).ok());
  CHECK(FormatUtc(Ts("2026-03-08T03:00:00", &ny)) == "2026-03-08T07:00:00Z");
  CHECK(FormatUtc(Ts("2026-03-08T01:59:59", &ny)) == "2026-03-08T06:59:59Z");
  CHECK(FormatUtc(Ts("2026-11-01T01:30:00", &ny)) == "2026-11-01T05:30:00Z");
  // Other field errors are still reported before zone handling.
  CHECK_THAT(ParseError("2026-02-30T10:00:00", &ny), Catch::Contains("February 2026 has 28 days"));
}

TEST_CASE("period: civil dates", "[period]") {
  auto d = reckon::ParseCivilDate("2026-10-01");
  REQUIRE(d.has_value());
  CHECK(*d == CivilDate{2026, 10, 1});
  CHECK(reckon::FormatCivilDate(*d) == "2026-10-01");
  CHECK(reckon::ParseCivilDate("2028-02-29").has_value());
  for (const char* bad : {"2026-02-30", "2026-13-01", "2026-00-10", "2026-10-00", "2026-10-1", "2026/10/01",
                          "2026-10-01T00:00", "", "20261001", " 2026-10-01", "2027-02-29"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(reckon::ParseCivilDate(bad).has_value());
  }
  CHECK(reckon::AddDays({2026, 12, 31}, 1) == CivilDate{2027, 1, 1});
  CHECK(reckon::AddDays({2027, 1, 1}, -1) == CivilDate{2026, 12, 31});
  CHECK(reckon::AddDays({2028, 2, 28}, 1) == CivilDate{2028, 2, 29});
  CHECK(reckon::AddDays({2026, 2, 28}, 1) == CivilDate{2026, 3, 1});
  CHECK(reckon::AddDays({2026, 10, 1}, 0) == CivilDate{2026, 10, 1});
  CHECK(reckon::AddDays({2026, 1, 1}, 365) == CivilDate{2027, 1, 1});
  CHECK(CivilDate{2026, 9, 30} < CivilDate{2026, 10, 1});
}
