// Reconcile (engine/reconcile/): the claimed-key index, and a randomized check
// that every claim and every billable record is accounted for exactly once.
#include "engine/reconcile/claims.h"
#include "engine/reconcile/reconcile.h"
#include "engine/registry.h"
#include "tests/unit/test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <map>
#include <random>
#include <set>

using namespace reckon;
using namespace reckon::testing;

TEST_CASE("reconcile: the claim index merges repeated keys and keeps lines apart") {
  ClaimIndex index;
  index.Add(0, "B");
  index.Add(0, "A");
  index.Add(1, "A");
  index.Add(0, "B");
  index.Seal();
  CHECK(index.size() == 3);
  REQUIRE(index.Find(0, "A"));
  REQUIRE(index.Find(1, "A"));
  CHECK(index.Find(0, "A") != index.Find(1, "A"));
  CHECK(index.Find(0, "B"));
  CHECK_FALSE(index.Find(1, "B"));
  CHECK_FALSE(index.Find(0, "C"));
  CHECK(index.Find(0, "A")->classification == ClaimOutcome::kNotSeen);
}

TEST_CASE("reconcile: random claims against random records: every claim and billable record once, the ledger unchanged") {
  TempDir dir;
  WriteFile(dir / "e1.yaml", E1Contract());
  std::mt19937 rng(7);
  std::string records = "id,vendor,occurred_at,verified,outcome\n";
  std::set<std::string> billable;  // resolved and verified in October
  const char* outcomes[] = {"resolved", "escalated", "abandoned"};
  for (int i = 0; i < 300; ++i) {
    bool oct = rng() % 5 != 0, verified = rng() % 10 != 0;
    const char* outcome = outcomes[rng() % 3];
    records += fmt::format("T{},acme-ai,2026-{}-{:02}T12:00:00Z,{},{}\n", i, oct ? "10" : "09", 1 + rng() % 28, verified ? "true" : "false", outcome);
    if (oct && verified && std::string(outcome) == "resolved") billable.insert(fmt::format("T{}", i));
  }
  WriteFile(dir / "r.csv", records);
  std::string claims = "id\n";
  int n_claims = 0;
  std::map<std::string, int> claimed;
  for (int i = 0; i < 400; ++i) {
    std::string id = fmt::format("T{}", rng() % 330);  // some unknown, some twice
    claims += id + "\n";
    ++claimed[id];
    ++n_claims;
  }
  WriteFile(dir / "claims.csv", claims);
  auto ledger = OpenOk(dir / "l.db");
  IngestOk(*ledger, {dir / "r.csv"});
  ::setenv("RECKON_NOW", "2027-01-05T00:00:00Z", 1);
  SettleOk(*ledger, dir / "e1.yaml", "2026-10");
  ::unsetenv("RECKON_NOW");
  Head before = ledger->head();

  auto loaded = LoadCheckedContract(dir / "e1.yaml");
  REQUIRE(loaded.ok());
  auto period = Period::Parse("2026-10", PeriodKind::kMonthly);
  REQUIRE(period.ok());
  std::vector<std::string> details;
  std::map<std::string, int> agreed, duplicates, unclaimed;
  int64_t rows = 0;
  auto sum = Reconcile(*ledger, **loaded, *period, {dir / "claims.csv", ""}, [&](const ReconcileRow& r) {
    ++rows;
    std::string id(r.id);
    if (r.classification == Classification::kAgreed) ++agreed[id];
    if (r.classification == Classification::kDuplicateClaim) ++duplicates[id];
    if (r.classification == Classification::kUnclaimed) ++unclaimed[id];
    CHECK(r.unclaimed == (r.classification == Classification::kUnclaimed));
    return Status::Ok();
  }, details);
  INFO(sum.status().ToString());
  REQUIRE(sum.ok());
  CHECK(sum->claims == n_claims);
  int64_t expected_unclaimed = 0;
  for (auto& id : billable) {
    CHECK(agreed[id] + unclaimed[id] == 1);        // each billable record: agreed once, or unclaimed
    CHECK(agreed[id] == (claimed.count(id) ? 1 : 0));
    if (!claimed.count(id)) ++expected_unclaimed;
  }
  for (auto& [id, n] : claimed) CHECK(duplicates[id] == n - 1);  // every repeat is a duplicate claim
  CHECK(rows == n_claims + expected_unclaimed);
  CHECK(sum->classes[size_t(Classification::kUnclaimed)].rows == expected_unclaimed);
  CHECK(sum->lines.at(0).current_units == Number::FromInt(int64_t(billable.size())));
  CHECK(sum->lines.at(0).claimed_units == Number::FromInt(n_claims));
  CHECK(sum->Agrees() == false);
  CHECK(ledger->ReadHead()->seq == before.seq);
  CHECK(ledger->ReadHead()->hash == before.hash);
}
