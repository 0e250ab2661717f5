// Unit tests for dsl/posix_zone (internal to dsl/): the POSIX TZ rule of a
// TZif footer. Expected instants are independent (Python's datetime):
// 2040-03-11T07:00:00Z = 2215062000, 2040-11-04T06:00:00Z = 2235621600,
// 2040-03-25T00:00:00Z = 2216246400, 2040-03-01 / 02-29T00:00:00Z = 2214172800 / 2214086400.
#include "dsl/posix_zone.h"

#include <catch2/catch.hpp>

TEST_CASE("posix_zone: New York's rule in 2040 (second Sunday of March, first of November)", "[posix_zone]") {
  auto z = reckon::ParsePosixZone("EST5EDT,M3.2.0,M11.1.0");
  REQUIRE(z.has_value());
  CHECK(z->has_dst);
  CHECK(z->std_offset == -5 * 3600);
  CHECK(z->dst_offset == -4 * 3600);
  CHECK(z->StartUtc(2040) == 2215062000);
  CHECK(z->EndUtc(2040) == 2235621600);
  CHECK(z->Offset(2215062000 - 1) == -5 * 3600);
  CHECK(z->Offset(2215062000) == -4 * 3600);
  CHECK(z->Offset(2235621600 - 1) == -4 * 3600);
  CHECK(z->Offset(2235621600) == -5 * 3600);
}

TEST_CASE("posix_zone: last weekday, Julian days and zones without DST", "[posix_zone]") {
  auto cet = reckon::ParsePosixZone("CET-1CEST,M3.5.0,M10.5.0/3");
  REQUIRE(cet.has_value());
  CHECK(cet->StartUtc(2040) == 2216246400 + 3600);  // 2040-03-25 02:00 CET
  reckon::PosixRule j;
  j.kind = reckon::PosixRule::kJulian1;
  j.day = 60;  // never counts Feb 29: March 1 even in a leap year
  j.time = 0;
  CHECK(j.LocalSeconds(2040) == 2214172800);
  j.kind = reckon::PosixRule::kJulian0;
  j.day = 59;  // counts Feb 29
  CHECK(j.LocalSeconds(2040) == 2214086400);
  auto fixed = reckon::ParsePosixZone("<-03>3");
  REQUIRE(fixed.has_value());
  CHECK_FALSE(fixed->has_dst);
  CHECK(fixed->Offset(2215062000) == -3 * 3600);
  for (const char* bad : {"", "E5", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.6.0,M11.1.0", "EST5EDT,J0,J365",
                          "EST5EDT,M3.2.0", "<ab>5"}) {
    INFO(bad);
    CHECK_FALSE(reckon::ParsePosixZone(bad).has_value());
  }
}
