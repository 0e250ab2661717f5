// Statement totals: fees + penalties + rewards + adjustments + true_up = net.
//
// A property test over random contracts (fixed seed): random fee lines, an
// optional commitment, penalties and rewards (some without `when`), caps
// per period, a penalty window and caps.net min/max, settled over three
// months with a late record (so adjustment lines occur). For every computed
// statement each total must be the signed sum of its lines, counted here
// independently of TotalsOf, the identity must hold, the commitment line must
// be max(0, minimum − fees), and the stored payload must read back with the
// same totals. Plus the reader's rules for true_up and customer, also for
// statements of the previous release (which have neither).
#include "ledger/canonical.h"
#include "ledger/payload/statement.h"
#include "test_util.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <random>
#include <string>
#include <vector>

using namespace reckon;
using namespace reckon::testing;

namespace {

constexpr uint64_t kTotalsSeed = 0x70741520261201ULL;
constexpr int kTotalsContracts = 120;

struct Gen {
  std::mt19937_64 gen{kTotalsSeed};
  int64_t Range(int64_t lo, int64_t hi) { return lo + int64_t(gen() % uint64_t(hi - lo + 1)); }
  bool Chance(int percent) { return Range(0, 99) < percent; }
  // A money text with two decimals from cents.
  std::string Money(int64_t lo_cents, int64_t hi_cents) {
    int64_t c = Range(lo_cents, hi_cents);
    return fmt::format("{}{}.{:02}", c < 0 ? "-" : "", std::abs(c) / 100, std::abs(c) % 100);
  }
};

std::string RandomContract(Gen& g, int index) {
  std::string y = fmt::format(
      "reckon: 1\ncontract: t{}\nversion: 1\nvendor: acme-ai\ncustomer: Customer {}\ncurrency: USD\nperiod: monthly\n"
      "effective: {{from: 2026-08-01}}\nrounding: {}\n"
      "records:\n  fields:\n    outcome: {{enum: [resolved, escalated]}}\n    units: {{decimal: {{min: 0}}}}\n"
      "metrics:\n  tickets: count()\n  resolved: count(outcome == \"resolved\")\n  rate: resolved / tickets\n"
      "  volume: sum(units)\n",
      index, index, g.Chance(50) ? "half-even" : g.Chance(50) ? "half-up" : g.Chance(50) ? "down" : "up");
  y += "fees:\n";
  int fees = int(g.Range(1, 3));
  for (int i = 0; i < fees; ++i) {
    switch (g.Range(0, 2)) {
      case 0: y += fmt::format("  - name: Fee {}\n    per: resolved\n    price: {}\n", i, g.Money(1, 2000) + "7"); break;
      case 1: y += fmt::format("  - name: Fee {}\n    amount: {}\n", i, g.Money(0, 500000)); break;
      default: y += fmt::format("  - name: Fee {}\n    amount: volume * {}\n", i, g.Money(1, 999) + "3"); break;
    }
  }
  if (g.Chance(60)) y += fmt::format("commitment:\n  name: Minimum commitment\n  minimum: {}\n", g.Money(0, 900000));
  int penalties = int(g.Range(0, 3));
  if (penalties) y += "penalties:\n";
  for (int i = 0; i < penalties; ++i) {
    y += fmt::format("  - name: Penalty {}\n", i);
    if (g.Chance(70)) y += fmt::format("    when: rate < {}%\n", g.Range(10, 100));
    y += g.Chance(50) ? fmt::format("    amount: {}% * fees\n", g.Range(1, 150)) : fmt::format("    amount: {}\n", g.Money(0, 400000));
    if (g.Chance(30)) y += fmt::format("    cap: {}% * fees\n", g.Range(0, 60));
  }
  int rewards = int(g.Range(0, 3));
  if (rewards) y += "rewards:\n";
  for (int i = 0; i < rewards; ++i) {
    y += fmt::format("  - name: Reward {}\n", i);
    if (g.Chance(70)) y += fmt::format("    when: rate >= {}%\n", g.Range(0, 90));
    y += g.Chance(50) ? fmt::format("    amount: {}% * fees\n", g.Range(1, 50)) : fmt::format("    amount: {}\n", g.Money(0, 200000));
    if (g.Chance(30)) {
      y += fmt::format("    for_periods: {}\n", g.Range(2, 3));
      if (g.Chance(50)) y += "    once: true\n";
    }
  }
  std::string caps;
  if (g.Chance(40)) {
    caps += "  penalties:\n";
    if (g.Chance(70)) caps += fmt::format("    per_period: {}% * fees\n", g.Range(0, 50));
    if (g.Chance(40)) caps += fmt::format("    window: {{periods: {}, limit: {}% * window.fees}}\n", g.Range(1, 3), g.Range(0, 30));
    if (caps == "  penalties:\n") caps += "    per_period: 10% * fees\n";
  }
  if (g.Chance(30)) caps += fmt::format("  rewards:\n    per_period: {}\n", g.Money(0, 100000));
  if (g.Chance(60)) {
    std::vector<std::string> net;
    if (g.Chance(60)) net.push_back("min: " + g.Money(-200000, 600000));
    if (g.Chance(60)) net.push_back("max: " + g.Money(0, 900000));
    if (!net.empty()) caps += fmt::format("  net: {{{}}}\n", fmt::join(net, ", "));
  }
  if (!caps.empty()) y += "caps:\n" + caps;
  return y;
}

std::string RandomRecords(Gen& g, const std::string& month, int n) {
  std::string csv = "id,vendor,occurred_at,verified,outcome,units\n";
  for (int i = 0; i < n; ++i)
    csv += fmt::format("R{}-{},acme-ai,2026-{}-{:02}T12:00:00Z,true,{},{}\n", month, i, month, i % 28 + 1,
                       g.Chance(70) ? "resolved" : "escalated", g.Money(0, 5000));
  return csv;
}

// The totals counted here, by line kind (independently of TotalsOf).
void CheckIdentity(const nlohmann::json& st, const std::string& yaml, int* commitments, int* true_ups) {
  INFO(yaml);
  INFO(st.dump(2));
  std::map<std::string, Number> sums;
  Number net, fees;
  std::optional<Number> commitment;
  for (auto& l : st["lines"]) {
    Number a = *Number::Parse(l["amount"].get<std::string>());
    std::string kind = l["kind"];
    net += a;
    if (kind == "fee") { sums["fees"] += a; fees += a; }
    else if (kind == "penalty") sums["penalties"] += a;
    else if (kind == "reward") sums["rewards"] += a;
    else if (kind == "cap") sums[a.is_negative() ? "rewards" : "penalties"] += a;
    else if (kind == "adjustment") sums["adjustments"] += a;
    else {
      REQUIRE((kind == "commitment" || kind == "minimum" || kind == "maximum"));
      sums["true_up"] += a;
      if (kind == "commitment") commitment = a;
    }
  }
  const auto& t = st["totals"];
  Number parts;
  for (const char* k : {"fees", "penalties", "rewards", "adjustments", "true_up"}) {
    CAPTURE(k);
    Number v = *Number::Parse(t[k].get<std::string>());
    CHECK(v == sums[k]);
    parts += v;
  }
  Number stored_net = *Number::Parse(t["net"].get<std::string>());
  CHECK(stored_net == net);
  CHECK(parts == stored_net);  // fees + penalties + rewards + adjustments + true_up = net
  if (commitment) {
    ++*commitments;
    // max(0, minimum − fees): the minimum is written with two decimals in the contract.
    auto at = yaml.find("  minimum: ");
    REQUIRE(at != std::string::npos);
    Number minimum = *Number::Parse(yaml.substr(at + 11, yaml.find('\n', at) - at - 11));
    CHECK(*commitment == std::max(Number(), minimum - fees));
  }
  if (!sums["true_up"].is_zero()) ++*true_ups;
  CHECK(st["customer"].is_string());
  // The stored form reads back with the same totals.
  nlohmann::json stored = st;
  stored.erase("ledger");
  auto back = ReadStatementPayload(CanonicalJson(stored), 1);
  INFO(back.status().ToString());
  REQUIRE(back.ok());
  CHECK(back->totals.true_up.Text() == t["true_up"].get<std::string>());
}

}  // namespace

TEST_CASE("property: fees + penalties + rewards + adjustments + true_up = net on random contracts", "[property][totals]") {
  Gen g;
  TempDir dir("reckon-totals");
  int commitments = 0, true_ups = 0, adjustments = 0;
  for (int i = 0; i < kTotalsContracts; ++i) {
    std::string yaml = RandomContract(g, i);
    std::string k = dir / fmt::format("k{}.yaml", i);
    WriteFile(k, yaml);
    auto ledger = OpenOk(dir / fmt::format("l{}.db", i));
    for (const char* month : {"08", "09", "10"}) {
      std::string csv = dir / fmt::format("r{}-{}.csv", i, month);
      int n = int(g.Range(0, 12));
      if (n) {
        WriteFile(csv, RandomRecords(g, month, n));
        IngestOk(*ledger, {csv});
      }
      if (std::string(month) == "10" && g.Chance(50)) {  // a late record for August: an adjustment line
        std::string late = dir / fmt::format("late{}.csv", i);
        WriteFile(late, "id,vendor,occurred_at,verified,outcome,units\nLATE,acme-ai,2026-08-20T12:00:00Z,true,resolved,17.5\n");
        IngestOk(*ledger, {late});
      }
      nlohmann::json st = SettleOk(*ledger, k, std::string("2026-") + month);
      for (auto& l : st["lines"]) if (l["kind"] == "adjustment") ++adjustments;
      CheckIdentity(st, yaml, &commitments, &true_ups);
    }
  }
  // The generator reaches the interesting branches.
  CHECK(commitments > 50);
  CHECK(true_ups > 50);
  CHECK(adjustments > 20);
}

namespace {

// A stored statement of the previous release: no customer, no true_up, a
// minimum line (net −5.00 trued up to 0).
std::string OldStatement(const std::string& extra_totals = "") {
  return R"({"as_of_seq":3,"contract":"c","contract_sha256":")" + std::string(64, 'a') +
         R"(","currency":"USD","lines":[{"amount":"10.00","explain":"x","kind":"fee","name":"Fee"},)"
         R"({"amount":"-15.00","condition":true,"explain":"x","kind":"penalty","name":"P"},)"
         R"({"amount":"5.00","explain":"x","kind":"minimum","name":"Net minimum"}],)"
         R"("metrics":{},"not_assessed":[],"period":"2026-10","period_end":"2026-11-01T00:00:00+00:00",)"
         R"("period_start":"2026-10-01T00:00:00+00:00","records":{"counted":1,"excluded":0,"late":0,"unverified":0,"voided":0},)"
         R"("timezone":"UTC","totals":{"adjustments":"0.00","fees":"10.00","net":"0.00","penalties":"-15.00","rewards":"0.00")" +
         extra_totals + R"(},"vendor":"v","version":1})";
}

}  // namespace

TEST_CASE("totals: a statement of the previous release (no true_up, no customer) reads with true_up = its true-up lines", "[totals]") {
  auto st = ReadStatementPayload(OldStatement(), 7);
  INFO(st.status().ToString());
  REQUIRE(st.ok());
  CHECK(st->totals.true_up.Text() == "5.00");
  CHECK_FALSE(st->customer.has_value());
  // Written back, it gains true_up (never customer, which it did not have).
  nlohmann::json j = StatementJson(*st);
  CHECK(j["totals"]["true_up"] == "5.00");
  CHECK_FALSE(j.contains("customer"));
}

TEST_CASE("totals: a stored true_up must be the sum of the true-up lines", "[totals]") {
  CHECK(ReadStatementPayload(OldStatement(R"(,"true_up":"5.00")"), 7).ok());
  auto bad = ReadStatementPayload(OldStatement(R"(,"true_up":"0.00")"), 7);
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().kind() == ErrorKind::kIntegrity);
  CHECK(bad.status().message().find("statement entry 7: totals.true_up is 0.00, but its lines add up to 5.00") != std::string::npos);
  auto digits = ReadStatementPayload(OldStatement(R"(,"true_up":"5.0")"), 7);
  REQUIRE_FALSE(digits.ok());
  CHECK(digits.status().message().find("true_up") != std::string::npos);
}

TEST_CASE("totals: customer is optional in the reader but must be a string", "[totals]") {
  std::string with = OldStatement();
  with.insert(with.find("\"currency\""), R"("customer":"Globex",)");
  auto st = ReadStatementPayload(with, 7);
  REQUIRE(st.ok());
  CHECK(st->customer == std::optional<std::string>("Globex"));
  CHECK(StatementJson(*st)["customer"] == "Globex");
  std::string bad = OldStatement();
  bad.insert(bad.find("\"currency\""), R"("customer":5,)");
  auto r = ReadStatementPayload(bad, 7);
  REQUIRE_FALSE(r.ok());
  CHECK(r.status().message().find("customer must be a string") != std::string::npos);
}
