// Tests for dsl/suggest.h: the "did you mean" of every diagnostic.
#include "dsl/suggest.h"

#include <catch2/catch.hpp>

using reckon::Suggest;

TEST_CASE("suggest: the closest candidate within the distance bound") {
  CHECK(Suggest("perod", {"period", "contract", "ledger"}) == "period");
  CHECK(Suggest("setle", {"check", "ingest", "settle", "show"}) == "settle");
  CHECK(Suggest("vendr", {"vendor", "version"}) == "vendor");
  CHECK(Suggest("xyz", {"period", "contract"}).empty());  // nothing close
  CHECK(Suggest("", {"a"}) == "a");                       // distance 1 is within the floor of 2
  CHECK(Suggest("abc", {}).empty());
}

TEST_CASE("suggest: ties go to the earlier candidate; longer words allow more edits") {
  CHECK(Suggest("cat", {"bat", "cab"}) == "bat");
  CHECK(Suggest("resolution_rat", {"resolution_rate"}) == "resolution_rate");
  CHECK(Suggest("rsolutin_rte", {"resolution_rate"}) == "resolution_rate");  // 3 edits, length 12 → bound 4
  CHECK(Suggest("abcdef", {"uvwxyz"}).empty());
}
