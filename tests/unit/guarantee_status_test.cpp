// Tests for engine/export/guarantee_status.h: every penalty and reward of a
// contract as target against actual with a status, for statement.html.
// Every TEST_CASE name starts with "guarantee:".
#include "engine/export/guarantee_status.h"

#include <catch2/catch.hpp>

using namespace reckon;

namespace {

constexpr const char* kContract = R"(reckon: 1
contract: g
version: 1
vendor: v
currency: USD
period: monthly
effective: {from: 2026-01-01}
metrics:
  tickets: count()
  availability: count() / 100
  p95: count()
fees:
  - {name: Fee, per: tickets, price: 1}
penalties:
  - {name: Rate, when: availability < 99.5%, amount: 10% * fees}
  - {name: Flipped, when: 30 < p95, amount: 1}
  - {name: General, when: tickets > 0 and p95 > 3, amount: 1}
  - {name: Bands, metric: availability, schedule: [{below: 99.9%, credit: 10% * fees}, {below: 99%, credit: 25% * fees}, {below: 95%, credit: 100% * fees}]}
  - {name: Flat, amount: 1}
rewards:
  - {name: Bonus, when: availability >= 99.99%, amount: 5}
  - {name: Missing, when: tickets > 1000, amount: 5}
)";

StatementLine Line(LineKind k, std::string name, std::optional<bool> cond, std::string explain = "") {
  StatementLine l;
  l.kind = k;
  l.name = std::move(name);
  l.condition = cond;
  l.explain = std::move(explain);
  return l;
}

const GuaranteeStatus& Find(const std::vector<GuaranteeStatus>& gs, std::string_view name) {
  for (auto& g : gs)
    if (g.name == name) return g;
  FAIL("no status for " << name);
  return gs.front();
}

}  // namespace

TEST_CASE("guarantee: target against actual, bands and statuses", "[guarantee]") {
  auto loaded = LoadContractText("g.yaml", kContract);
  REQUIRE(loaded.contract);
  const Contract& c = *loaded.contract;
  Statement st;
  st.metrics = {{"availability", "0.985"}, {"p95", "31"}, {"tickets", "98"}};
  st.lines = {Line(LineKind::kPenalty, "Rate", true), Line(LineKind::kPenalty, "Flipped", true),
              Line(LineKind::kPenalty, "General", false), Line(LineKind::kPenalty, "Bands", std::nullopt),
              Line(LineKind::kPenalty, "Flat", std::nullopt), Line(LineKind::kReward, "Bonus", false)};
  st.not_assessed = {{"reward", "Missing", "metric x is undefined"}};
  auto gs = GuaranteeStatuses(c, st);
  REQUIRE(gs.size() == 7);
  CHECK(gs[0].name == "Rate");
  CHECK(gs[5].name == "Bonus");

  auto& rate = Find(gs, "Rate");
  CHECK(rate.measure == "availability");
  CHECK(rate.op == "<");
  CHECK(rate.target == "99.5%");  // as written
  CHECK(rate.actual == "0.985 (98.5%)");
  CHECK(rate.state == GuaranteeState::kBreached);

  auto& flipped = Find(gs, "Flipped");  // 30 < p95 reads as p95 > 30
  CHECK(flipped.measure == "p95");
  CHECK(flipped.op == ">");
  CHECK(flipped.target == "30");
  CHECK(flipped.actual == "31");
  CHECK(flipped.state == GuaranteeState::kBreached);

  auto& general = Find(gs, "General");
  CHECK(general.measure.empty());
  CHECK(general.target == "tickets > 0 and p95 > 3");
  CHECK(general.actual == "did not hold");
  CHECK(general.state == GuaranteeState::kMet);

  auto& bands = Find(gs, "Bands");  // 0.985 is below 99.9% and 99%: the most severe, 99%, applied
  REQUIRE(bands.bands.size() == 3);
  CHECK(bands.bands[0].threshold == "99.9%");
  CHECK_FALSE(bands.bands[0].applied);
  CHECK(bands.bands[1].applied);
  CHECK(bands.bands[1].credit == "25% * fees");
  CHECK_FALSE(bands.bands[2].applied);
  CHECK(bands.state == GuaranteeState::kBreached);

  CHECK(Find(gs, "Flat").state == GuaranteeState::kApplies);
  CHECK(Find(gs, "Bonus").state == GuaranteeState::kNotMet);
  CHECK(GuaranteeStateName(Find(gs, "Bonus").state) == "not met");
  auto& missing = Find(gs, "Missing");
  CHECK(missing.state == GuaranteeState::kNotAssessed);
  CHECK(missing.reason == "metric x is undefined");
}

TEST_CASE("guarantee: a met schedule marks no band; a held reward is met", "[guarantee]") {
  auto loaded = LoadContractText("g.yaml", kContract);
  REQUIRE(loaded.contract);
  Statement st;
  st.metrics = {{"availability", "0.9999"}, {"p95", "2"}, {"tickets", "2"}};
  st.lines = {Line(LineKind::kPenalty, "Rate", false), Line(LineKind::kPenalty, "Flipped", false),
              Line(LineKind::kPenalty, "General", true), Line(LineKind::kPenalty, "Bands", std::nullopt),
              Line(LineKind::kPenalty, "Flat", std::nullopt), Line(LineKind::kReward, "Bonus", true),
              Line(LineKind::kReward, "Missing", false)};
  auto gs = GuaranteeStatuses(*loaded.contract, st);
  auto& bands = Find(gs, "Bands");
  for (auto& b : bands.bands) CHECK_FALSE(b.applied);
  CHECK(bands.state == GuaranteeState::kMet);
  CHECK(Find(gs, "Rate").state == GuaranteeState::kMet);
  CHECK(Find(gs, "General").state == GuaranteeState::kBreached);
  CHECK(Find(gs, "General").actual == "held");
  CHECK(Find(gs, "Bonus").state == GuaranteeState::kMet);
  CHECK(Find(gs, "Bonus").actual == "0.9999 (99.99%)");
  CHECK(Find(gs, "Missing").state == GuaranteeState::kNotMet);
}

TEST_CASE("guarantee: an undefined metric is shown as undefined, a missing line is not assessed", "[guarantee]") {
  auto loaded = LoadContractText("g.yaml", kContract);
  REQUIRE(loaded.contract);
  Statement st;
  st.metrics = {{"availability", std::nullopt}, {"p95", "2"}, {"tickets", "0"}};
  st.not_assessed = {{"penalty", "Bands", "metric availability is undefined"}};
  auto gs = GuaranteeStatuses(*loaded.contract, st);
  auto& bands = Find(gs, "Bands");
  CHECK(bands.state == GuaranteeState::kNotAssessed);
  CHECK(bands.actual == "undefined");
  for (auto& b : bands.bands) CHECK_FALSE(b.applied);
  auto& rate = Find(gs, "Rate");
  CHECK(rate.state == GuaranteeState::kNotAssessed);
  CHECK(rate.reason == "no line in the statement");
}
