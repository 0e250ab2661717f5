// Unit tests for dsl/contract (the YAML loader) and the checker behind it: a
// full contract (docs/contract-language.md) loads into the expected model; every mistake is a
// Diagnostic at the exact file:line:col of the offending text, with "did
// you mean" hints; one load reports every problem; FormatDiagnostics prints
// the source line with a caret.
#include "dsl/checker.h"
#include "dsl/contract.h"

#include <catch2/catch.hpp>

#include <cstdio>
#include <map>
#include <sstream>
#include <string>
#include <vector>

using reckon::Contract;
using reckon::Diagnostic;
using reckon::LoadContractText;
using reckon::LoadedContract;
using reckon::Number;

namespace {

// A full contract using every feature of the contract language. Line numbers matter: the
// tests below replace lines by number (1-based).
const std::vector<std::string> kGood = {
    /*  1 */ "reckon: 1",
    /*  2 */ "contract: acme-support",
    /*  3 */ "version: 1",
    /*  4 */ "vendor: acme-ai",
    /*  5 */ "customer: globex",
    /*  6 */ "currency: USD",
    /*  7 */ "timezone: America/New_York",
    /*  8 */ "period: monthly",
    /*  9 */ "effective: {from: 2026-01-01, to: 2026-12-31}",
    /* 10 */ "rounding: half-even",
    /* 11 */ "records:",
    /* 12 */ "  where: verified and channel != \"test\"",
    /* 13 */ "  fields:",
    /* 14 */ "    outcome: {enum: [resolved, escalated, abandoned]}",
    /* 15 */ "    channel: string",
    /* 16 */ "    handle_minutes: {decimal: {min: 0}}",
    /* 17 */ "    csat: {integer: {min: 1, max: 5}, optional: true}",
    /* 18 */ "    opened_at: timestamp",
    /* 19 */ "    resolved_at: {timestamp: {}, optional: true}",
    /* 20 */ "    kind: string",
    /* 21 */ "    started_at: {timestamp: {}, optional: true}",
    /* 22 */ "    ended_at: {timestamp: {}, optional: true}",
    /* 23 */ "baselines:",
    /* 24 */ "  mttr_minutes: 240",
    /* 25 */ "  cost_per_ticket: 6.40",
    /* 26 */ "metrics:",
    /* 27 */ "  availability: 1 - downtime / period.minutes",
    /* 28 */ "  resolution_rate: resolved / tickets",
    /* 29 */ "  tickets: count()",
    /* 30 */ "  resolved: count(outcome == \"resolved\")",
    /* 31 */ "  mttr_minutes: mean(minutes(resolved_at - opened_at), outcome == \"resolved\")",
    /* 32 */ "  p95_handle: percentile(handle_minutes, 95)",
    /* 33 */ "  downtime: sum(minutes(ended_at - started_at), kind == \"outage\")",
    /* 34 */ "fees:",
    /* 35 */ "  - name: Resolution fee",
    /* 36 */ "    per: resolved",
    /* 37 */ "    price: 0.99",
    /* 38 */ "  - name: Resolution fee, graduated",
    /* 39 */ "    per: resolved",
    /* 40 */ "    tiers: graduated",
    /* 41 */ "    prices:",
    /* 42 */ "      - {up_to: 10000, price: 1.20}",
    /* 43 */ "      - {up_to: 50000, price: 0.99}",
    /* 44 */ "      - {price: 0.80}",
    /* 45 */ "  - name: Volume fee",
    /* 46 */ "    per: tickets",
    /* 47 */ "    tiers: volume",
    /* 48 */ "    prices:",
    /* 49 */ "      - {up_to: 100, price: 2}",
    /* 50 */ "      - {price: 1}",
    /* 51 */ "  - name: MTTR gain share",
    /* 52 */ "    amount: 25% * max(0, baselines.mttr_minutes - mttr_minutes) / 60 * resolved * 85.00",
    /* 53 */ "  - name: Platform fee",
    /* 54 */ "    amount: 500.00",
    /* 55 */ "penalties:",
    /* 56 */ "  - name: Guaranteed resolution rate",
    /* 57 */ "    when: resolution_rate < 67%",
    /* 58 */ "    amount: 1% * fees * ceil((67% - resolution_rate) * 100)",
    /* 59 */ "    cap: 15% * fees",
    /* 60 */ "  - name: Availability credit",
    /* 61 */ "    metric: availability",
    /* 62 */ "    schedule:",
    /* 63 */ "      - {below: 99.9%, credit: 10% * fees}",
    /* 64 */ "      - {below: 99%,   credit: 25% * fees}",
    /* 65 */ "      - {below: 95%,   credit: 100% * fees}",
    /* 66 */ "  - name: Latency credit",
    /* 67 */ "    metric: p95_handle",
    /* 68 */ "    schedule:",
    /* 69 */ "      - {above: 30, credit: 5% * fees}",
    /* 70 */ "rewards:",
    /* 71 */ "  - name: Containment bonus",
    /* 72 */ "    when: resolution_rate >= 80%",
    /* 73 */ "    amount: 5% * fees",
    /* 74 */ "  - name: Sustained excellence",
    /* 75 */ "    when: resolution_rate >= 75%",
    /* 76 */ "    for_periods: 3",
    /* 77 */ "    amount: 2500.00",
    /* 78 */ "caps:",
    /* 79 */ "  penalties:",
    /* 80 */ "    per_period: 15% * fees",
    /* 81 */ "    window: {periods: 12, limit: 10% * window.fees}",
    /* 82 */ "  rewards:",
    /* 83 */ "    per_period: 10000.00",
    /* 84 */ "  net: {min: 0, max: 250000.00}",
};

std::string Join(const std::vector<std::string>& lines) {
  std::string out;
  for (auto& l : lines) out += l + "\n";
  return out;
}

// kGood with some lines replaced (line number -> new text; keep numbering by
// replacing a line with a comment rather than deleting it).
std::string Edit(const std::map<int, std::string>& edits) {
  std::vector<std::string> lines = kGood;
  for (auto& [n, text] : edits) {
    REQUIRE(n >= 1);
    REQUIRE(size_t(n) <= lines.size());
    lines[size_t(n - 1)] = text;
  }
  return Join(lines);
}

std::string Dump(const LoadedContract& l) {
  std::ostringstream out;
  for (auto& d : l.diagnostics) out << d.pos.file << ":" << d.pos.line << ":" << d.pos.col << ": " << d.message << "\n";
  return out.str();
}

LoadedContract Load(const std::string& text) { return LoadContractText("c.yaml", text); }

// The one diagnostic of `text`; checks its position and that its message
// contains `needle`.
void ExpectOne(const std::string& text, int line, int col, const std::string& needle) {
  auto l = Load(text);
  INFO(Dump(l));
  CHECK(l.contract == nullptr);
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].pos.file == "c.yaml");
  CHECK(l.diagnostics[0].pos.line == line);
  CHECK(l.diagnostics[0].pos.col == col);
  CHECK(l.diagnostics[0].message.find(needle) != std::string::npos);
}

// Some diagnostic of `text` is at line:col and contains `needle`.
void ExpectSome(const std::string& text, int line, int col, const std::string& needle) {
  auto l = Load(text);
  INFO(Dump(l));
  CHECK(l.contract == nullptr);
  bool found = false;
  for (auto& d : l.diagnostics)
    if (d.pos.line == line && d.pos.col == col && d.message.find(needle) != std::string::npos) found = true;
  CHECK(found);
}

const std::string kHeader =
    "reckon: 1\n"
    "contract: small\n"
    "version: 1\n"
    "vendor: v\n"
    "currency: USD\n"
    "period: monthly\n"
    "effective: {from: 2026-01-01}\n";

}  // namespace

// ===========================================================================
// A valid contract

TEST_CASE("contract: the full example loads", "[contract]") {
  auto l = Load(Join(kGood));
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  REQUIRE(l.contract);
  const Contract& k = *l.contract;
  CHECK(k.path == "c.yaml");
  CHECK(k.text == Join(kGood));
  CHECK(k.language == 1);
  CHECK(k.id == "acme-support");
  CHECK(k.version == 1);
  CHECK(k.vendor == "acme-ai");
  CHECK(k.customer == "globex");
  CHECK(k.currency.code == "USD");
  CHECK(k.currency.minor_units == 2);
  CHECK(k.zone.name() == "America/New_York");
  CHECK(k.period == reckon::PeriodKind::kMonthly);
  CHECK(k.effective_from == reckon::CivilDate{2026, 1, 1});
  REQUIRE(k.effective_to);
  CHECK(*k.effective_to == reckon::CivilDate{2026, 12, 31});
  CHECK(k.rounding == reckon::RoundingMode::kHalfEven);
  CHECK(k.FirstPeriod().Id() == "2026-01");
  CHECK(k.LastPeriod()->Id() == "2026-12");

  // records
  CHECK(k.where.text == "verified and channel != \"test\"");
  CHECK(k.where.pos.line == 12);
  CHECK(k.where.pos.col == 10);
  REQUIRE(k.fields.size() == 6 + 9);
  for (const char* core : {"id", "vendor", "occurred_at", "revision", "verified", "void"}) {
    INFO(core);
    REQUIRE(k.FieldIndex(core) >= 0);
    CHECK(k.fields[size_t(k.FieldIndex(core))].core);
  }
  const auto& outcome = k.fields[size_t(k.FieldIndex("outcome"))];
  CHECK(outcome.type == reckon::FieldType::kEnum);
  CHECK(outcome.enum_values == std::vector<std::string>{"resolved", "escalated", "abandoned"});
  CHECK_FALSE(outcome.optional);
  CHECK(outcome.pos.line == 14);
  CHECK(outcome.pos.col == 5);
  const auto& handle = k.fields[size_t(k.FieldIndex("handle_minutes"))];
  CHECK(handle.type == reckon::FieldType::kDecimal);
  REQUIRE(handle.min);
  CHECK(*handle.min == Number());
  CHECK_FALSE(handle.max);
  const auto& csat = k.fields[size_t(k.FieldIndex("csat"))];
  CHECK(csat.type == reckon::FieldType::kInteger);
  CHECK(*csat.min == Number::FromInt(1));
  CHECK(*csat.max == Number::FromInt(5));
  CHECK(csat.optional);
  CHECK(k.fields[size_t(k.FieldIndex("channel"))].type == reckon::FieldType::kString);
  CHECK(k.fields[size_t(k.FieldIndex("opened_at"))].type == reckon::FieldType::kTimestamp);
  CHECK(k.fields[size_t(k.FieldIndex("resolved_at"))].optional);
  CHECK(k.FieldIndex("nope") == -1);

  // baselines: exact decimals from the scalar text
  REQUIRE(k.baselines.size() == 2);
  CHECK(k.baselines[0].name == "mttr_minutes");
  CHECK(k.baselines[0].value.num == Number::FromInt(240));
  CHECK(k.baselines[0].type == reckon::Type::kNumber);
  CHECK(k.baselines[1].name == "cost_per_ticket");
  CHECK(k.baselines[1].value.num == Number(Number::Rational(32, 5)));

  // metrics in dependency order; file order among independent ones
  std::vector<std::string> order;
  for (auto& m : k.metrics) order.push_back(m.name);
  CHECK(order == std::vector<std::string>{"downtime", "availability", "tickets", "resolved", "resolution_rate", "mttr_minutes",
                                          "p95_handle"});
  for (size_t i = 0; i < k.metrics.size(); ++i) {
    INFO(k.metrics[i].name);
    REQUIRE(k.metrics[i].src);
    CHECK(k.metrics[i].type == reckon::Type::kNumber);
    // Every metric a metric refers to comes earlier.
    std::vector<const reckon::Expr*> names;
    reckon::CollectNames(*k.metrics[i].src.expr, names);
    for (auto* n : names)
      if (n->name_kind == reckon::NameKind::kMetric) CHECK(size_t(n->slot) < i);
  }
  CHECK(k.metrics[1].src.pos.line == 27);
  CHECK(k.metrics[1].src.pos.col == 17);
  // aggregates: sum, count, count, mean, percentile -- in metric order
  REQUIRE(k.aggregates.size() == 5);
  CHECK(k.aggregates[0].func == reckon::AggregateFunc::kSum);
  CHECK(k.aggregates[0].filter != nullptr);
  CHECK(k.aggregates[0].value_type == reckon::Type::kNumber);
  CHECK(k.aggregates[1].func == reckon::AggregateFunc::kCount);
  CHECK(k.aggregates[1].value == nullptr);
  CHECK(k.aggregates[1].filter == nullptr);
  CHECK(k.aggregates[2].func == reckon::AggregateFunc::kCount);
  CHECK(k.aggregates[2].filter != nullptr);
  CHECK(k.aggregates[3].func == reckon::AggregateFunc::kMean);
  CHECK(k.aggregates[4].func == reckon::AggregateFunc::kPercentile);
  REQUIRE(k.aggregates[4].percent != nullptr);
  CHECK(k.aggregates[4].percent->literal.num == Number::FromInt(95));
  for (const char* used : {"verified", "channel", "outcome", "resolved_at", "opened_at", "handle_minutes", "ended_at", "started_at", "kind"})
    CHECK(k.used_fields.count(k.FieldIndex(used)) == 1);
  CHECK(k.used_fields.count(k.FieldIndex("csat")) == 0);

  // fees
  REQUIRE(k.fees.size() == 5);
  CHECK(k.fees[0].name == "Resolution fee");
  CHECK(k.fees[0].pos.line == 35);
  CHECK(k.metrics[size_t(k.fees[0].per_metric)].name == "resolved");
  CHECK(*k.fees[0].price == Number(Number::Rational(99, 100)));
  CHECK(k.fees[0].tiers == reckon::TierMode::kNone);
  CHECK(k.fees[1].name == "Resolution fee, graduated");
  CHECK(k.fees[1].tiers == reckon::TierMode::kGraduated);
  REQUIRE(k.fees[1].prices.size() == 3);
  CHECK(*k.fees[1].prices[0].up_to == Number::FromInt(10000));
  CHECK(k.fees[1].prices[0].price == Number(Number::Rational(6, 5)));
  CHECK(*k.fees[1].prices[1].up_to == Number::FromInt(50000));
  CHECK_FALSE(k.fees[1].prices[2].up_to);
  CHECK(k.fees[1].prices[2].price == Number(Number::Rational(4, 5)));
  CHECK(k.fees[2].tiers == reckon::TierMode::kVolume);
  CHECK(k.metrics[size_t(k.fees[2].per_metric)].name == "tickets");
  CHECK(k.fees[3].per_metric == -1);
  REQUIRE(k.fees[3].amount);
  CHECK(k.fees[3].amount.text == "25% * max(0, baselines.mttr_minutes - mttr_minutes) / 60 * resolved * 85.00");
  CHECK(k.fees[3].amount.pos.line == 52);
  CHECK(k.fees[3].amount.pos.col == 13);
  CHECK(k.fees[4].amount.text == "500.00");

  // penalties
  REQUIRE(k.penalties.size() == 3);
  const auto& g = k.penalties[0];
  CHECK(g.name == "Guaranteed resolution rate");
  CHECK(g.when.text == "resolution_rate < 67%");
  CHECK(g.amount.text == "1% * fees * ceil((67% - resolution_rate) * 100)");
  CHECK(g.cap.text == "15% * fees");
  CHECK(g.schedule.empty());
  const auto& a = k.penalties[1];
  CHECK(k.metrics[size_t(a.schedule_metric)].name == "availability");
  CHECK_FALSE(a.above);
  REQUIRE(a.schedule.size() == 3);
  CHECK(a.schedule[0].threshold.text == "99.9%");
  CHECK(a.schedule[0].threshold.expr->literal.num == Number(Number::Rational(999, 1000)));
  CHECK(a.schedule[2].credit.text == "100% * fees");
  CHECK(a.schedule[1].credit.pos.line == 64);
  CHECK(a.schedule[1].credit.pos.col == 32);
  CHECK_FALSE(a.when);
  CHECK_FALSE(a.cap);
  CHECK(k.penalties[2].above);
  CHECK(k.metrics[size_t(k.penalties[2].schedule_metric)].name == "p95_handle");

  // rewards
  REQUIRE(k.rewards.size() == 2);
  CHECK(k.rewards[0].for_periods == 1);
  CHECK(k.rewards[1].for_periods == 3);
  CHECK(k.rewards[1].amount.text == "2500.00");

  // caps
  CHECK(k.caps.penalties_per_period.text == "15% * fees");
  REQUIRE(k.caps.penalties_window);
  CHECK(k.caps.penalties_window->periods == 12);
  CHECK(k.caps.penalties_window->limit.text == "10% * window.fees");
  CHECK(k.caps.rewards_per_period.text == "10000.00");
  CHECK(k.caps.net_min.text == "0");
  CHECK(k.caps.net_max.text == "250000.00");
}

TEST_CASE("contract: minimal contract and defaults", "[contract]") {
  auto l = Load(kHeader);
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  const Contract& k = *l.contract;
  CHECK(k.zone.is_utc());
  CHECK(k.rounding == reckon::RoundingMode::kHalfEven);
  CHECK(k.where.text == "verified");
  REQUIRE(k.where.expr);
  CHECK(k.customer.empty());
  CHECK_FALSE(k.effective_to);
  CHECK(k.metrics.empty());
  CHECK(k.fees.empty());
  CHECK_FALSE(k.caps.net_min);
  CHECK(k.fields.size() == 6);

  // Other periods, currencies and rounding modes.
  auto q = Load(
      "reckon: 1\ncontract: q.2026_v-2\nversion: 7\nvendor: v\ncurrency: JPY\nperiod: quarterly\n"
      "effective: {from: 2026-04-01}\nrounding: up\ntimezone: Europe/Berlin\n");
  INFO(Dump(q));
  REQUIRE(q.diagnostics.empty());
  CHECK(q.contract->id == "q.2026_v-2");
  CHECK(q.contract->version == 7);
  CHECK(q.contract->currency.minor_units == 0);
  CHECK(q.contract->period == reckon::PeriodKind::kQuarterly);
  CHECK(q.contract->rounding == reckon::RoundingMode::kUp);
  CHECK(q.contract->FirstPeriod().Id() == "2026-Q2");
  auto y = Load(
      "reckon: 1\ncontract: y\nversion: 1\nvendor: v\ncurrency: BHD\nperiod: yearly\n"
      "effective:\n  from: 2027-01-01\n  to: 2028-12-31\nrounding: half-up\n");
  INFO(Dump(y));
  REQUIRE(y.diagnostics.empty());
  CHECK(y.contract->currency.minor_units == 3);
  CHECK(y.contract->rounding == reckon::RoundingMode::kHalfUp);
  CHECK(y.contract->LastPeriod()->Id() == "2028");
}

// ===========================================================================
// Header

TEST_CASE("contract: required header keys", "[contract]") {
  struct Case { int line; const char* key; };
  for (auto c : {Case{1, "reckon"}, Case{2, "contract"}, Case{3, "version"}, Case{4, "vendor"}, Case{6, "currency"},
                 Case{8, "period"}, Case{9, "effective"}}) {
    INFO(c.key);
    ExpectOne(Edit({{c.line, "# removed"}}), 1, 1, std::string("the contract has no '") + c.key + "' key; it is required");
  }
}

TEST_CASE("contract: optional header keys", "[contract]") {
  // customer, timezone and rounding may be left out.
  auto l = Load(Edit({{5, "# no customer"}, {7, "# no timezone"}, {10, "# no rounding"}}));
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  CHECK(l.contract->zone.is_utc());
  // effective.to is optional, effective.from is not.
  CHECK(Load(Edit({{9, "effective: {from: 2026-01-01}"}})).diagnostics.empty());
  ExpectOne(Edit({{9, "effective: {to: 2026-12-31}"}}), 9, 12, "effective needs 'from'");
  // records, baselines, metrics, fees, penalties, rewards and caps are optional.
  CHECK(Load(kHeader).diagnostics.empty());
}

TEST_CASE("contract: empty file and not a mapping", "[contract]") {
  ExpectOne("", 1, 1, "contract file is empty");
  ExpectOne("# only a comment\n", 1, 1, "contract file is empty");
  ExpectOne("- a\n- b\n", 1, 1, "the contract must be a mapping");
}

TEST_CASE("contract: YAML syntax errors have a position", "[contract]") {
  auto l = Load(kHeader + "metrics:\n  a: count(\n b: [\n");
  INFO(Dump(l));
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].message.rfind("YAML syntax error", 0) == 0);
  CHECK(l.diagnostics[0].pos.line >= 9);
  ExpectOne("reckon: 1\ncontract: [a\n", 3, 1, "YAML syntax error");
}

TEST_CASE("contract: unknown keys suggest the intended one", "[contract]") {
  ExpectOne(Edit({{4, "vendr: acme-ai"}}), 4, 1, "unknown key 'vendr' in the contract; did you mean 'vendor'?");
  ExpectOne(Edit({{5, "custmer: globex"}}), 5, 1, "did you mean 'customer'?");
  ExpectOne(Edit({{7, "time_zone: UTC"}}), 7, 1, "did you mean 'timezone'?");
  ExpectOne(Edit({{37, "    prise: 0.99"}}), 37, 5, "unknown key 'prise' in a fee; did you mean 'price'?");
  ExpectOne(Edit({{59, "    capp: 15% * fees"}}), 59, 5, "did you mean 'cap'?");
  ExpectOne(Edit({{76, "    for_period: 3"}}), 76, 5, "did you mean 'for_periods'?");
  ExpectOne(Edit({{17, "    csat: {integer: {min: 1, max: 5}, optinal: true}"}}), 17, 39, "did you mean 'optional'?");
  ExpectOne(Edit({{42, "      - {upto: 10000, price: 1.20}"}}), 42, 10, "did you mean 'up_to'?");
  ExpectOne(Edit({{81, "    window: {period: 12, limit: 10% * window.fees}"}}), 81, 14, "did you mean 'periods'?");
  ExpectOne(Edit({{84, "  nett: {min: 0, max: 250000.00}"}}), 84, 3, "did you mean 'net'?");
  // A misspelt key is read as the key it suggests: one mistake, one
  // diagnostic (no "missing 'vendor'", no unknown metrics after 'metircs').
  ExpectOne(Edit({{26, "metircs:"}}), 26, 1, "unknown key 'metircs' in the contract; did you mean 'metrics'?");
  // Without a close match the allowed keys are listed.
  ExpectOne(Edit({{5, "xyzzy: 1"}}), 5, 1, "(allowed: reckon, contract, version");
  // A key twice.
  ExpectOne(Edit({{5, "vendor: other"}}), 5, 1, "key 'vendor' appears twice");
}

TEST_CASE("contract: header values", "[contract]") {
  ExpectOne(Edit({{1, "reckon: 2"}}), 1, 9, "unsupported language version '2'");
  ExpectOne(Edit({{2, "contract: Acme Support"}}), 2, 11, "contract id 'Acme Support' must match [a-z0-9][a-z0-9._-]*");
  ExpectOne(Edit({{2, "contract: -acme"}}), 2, 11, "must match");
  ExpectOne(Edit({{2, "contract: acme/support"}}), 2, 11, "must match");
  ExpectOne(Edit({{2, "contract: " + std::string(129, 'a')}}), 2, 11, "at most 128 characters");
  ExpectOne(Edit({{3, "version: 0"}}), 3, 10, "version must be a whole number from 1");
  ExpectOne(Edit({{3, "version: 1.5"}}), 3, 10, "version must be a whole number");
  ExpectOne(Edit({{3, "version: one"}}), 3, 10, "version must be a decimal number");
  ExpectOne(Edit({{4, "vendor: \"\""}}), 4, 9, "vendor must be a non-empty name");
  ExpectOne(Edit({{4, "vendor: [a, b]"}}), 4, 9, "vendor must be a single value");
  ExpectOne(Edit({{6, "currency: USX"}}), 6, 11, "unknown currency 'USX'; use an ISO 4217 code");
  ExpectOne(Edit({{6, "currency: usd"}}), 6, 11, "unknown currency 'usd'");
  ExpectOne(Edit({{6, "currency: XAU"}}), 6, 11, "unknown currency 'XAU'");
  ExpectOne(Edit({{7, "timezone: America/New_Yrok"}}), 7, 11, "unknown time zone 'America/New_Yrok'; use an IANA name");
  ExpectOne(Edit({{7, "timezone: EST5EDTX"}}), 7, 11, "unknown time zone");
  ExpectOne(Edit({{8, "period: weekly"}}), 8, 9, "period must be monthly, quarterly or yearly, not 'weekly'");
  ExpectOne(Edit({{10, "rounding: bankers"}}), 10, 11, "rounding must be half-even, half-up, down or up, not 'bankers'");
  ExpectOne(Edit({{10, "rounding: half_even"}}), 10, 11, "rounding must be");
}

TEST_CASE("contract: effective dates", "[contract]") {
  ExpectOne(Edit({{9, "effective: {from: 2026-01-15, to: 2026-12-31}"}}), 9, 19,
            "effective.from 2026-01-15 is not the first day of a monthly period");
  ExpectOne(Edit({{8, "period: quarterly"}, {9, "effective: {from: 2026-02-01, to: 2026-12-31}"}}), 9, 19,
            "effective.from 2026-02-01 is not the first day of a quarterly period");
  ExpectOne(Edit({{8, "period: yearly"}, {9, "effective: {from: 2026-07-01}"}}), 9, 19, "not the first day of a yearly period");
  CHECK(Load(Edit({{8, "period: quarterly"}, {9, "effective: {from: 2026-10-01}"}})).diagnostics.empty());
  ExpectOne(Edit({{9, "effective: {from: 2026-01-01, to: 2026-02-30}"}}), 9, 35,
            "effective.to must be a valid date YYYY-MM-DD, not '2026-02-30'");
  ExpectOne(Edit({{9, "effective: {from: 2026-02-30}"}}), 9, 19, "effective.from must be a valid date YYYY-MM-DD, not '2026-02-30'");
  ExpectOne(Edit({{9, "effective: {from: 2025-02-29}"}}), 9, 19, "must be a valid date");
  CHECK(Load(Edit({{9, "effective: {from: 2028-02-01, to: 2028-02-29}"}})).diagnostics.empty());  // leap year
  ExpectOne(Edit({{9, "effective: {from: 2026-1-1}"}}), 9, 19, "must be a valid date");
  ExpectOne(Edit({{9, "effective: {from: 2026-13-01}"}}), 9, 19, "must be a valid date");
  ExpectOne(Edit({{9, "effective: {from: 2026-06-01, to: 2026-05-31}"}}), 9, 35, "effective.to is before effective.from");
  ExpectOne(Edit({{9, "effective: {from: 2026-01-01, until: 2026-05-31}"}}), 9, 31, "unknown key 'until' in effective");
  ExpectOne(Edit({{9, "effective: 2026-01-01"}}), 9, 12, "effective must be a mapping");
}

// ===========================================================================
// Records

TEST_CASE("contract: records section", "[contract]") {
  // The field is then not declared, so its uses are reported as well.
  ExpectSome(Edit({{15, "    channel: strng"}}), 15, 14, "unknown field type 'strng'; did you mean 'string'?");
  ExpectSome(Edit({{15, "    channel: enum"}}), 15, 14, "an enum field lists its values");
  ExpectOne(Edit({{14, "    outcome: {enum: []}"}}), 14, 21, "enum needs a non-empty list of values");
  ExpectOne(Edit({{16, "    handle_minutes: {decimal: {min: zero}}"}}), 16, 37, "min must be a decimal number");
  ExpectOne(Edit({{17, "    csat: {integer: {min: 5, max: 1}, optional: true}"}}), 17, 35, "max is below min");
  ExpectOne(Edit({{17, "    csat: {integer: {min: 1}, optional: yes}"}}), 17, 41, "optional must be true or false");
  ExpectOne(Edit({{17, "    csat: {integer: {}, decimal: {}}"}}), 17, 11, "names exactly one type");
  ExpectOne(Edit({{17, "    csat: {optional: true}"}}), 17, 11, "names exactly one type");
  ExpectOne(Edit({{15, "    channel: {string: {max: 3}}"}}), 15, 23, "string takes no options");
  ExpectOne(Edit({{17, "    verified: string"}}), 17, 5, "'verified' is a core record field and cannot be redeclared");
  ExpectOne(Edit({{17, "    cs-at: string"}}), 17, 5, "names in records.fields must be identifiers");
  ExpectOne(Edit({{17, "    outcome: string"}}), 17, 5, "'outcome' is defined twice in records.fields");
  ExpectOne(Edit({{12, "  wher: verified"}}), 12, 3, "did you mean 'where'?");
  // where is a condition over record fields.
  ExpectOne(Edit({{12, "  where: verified and chanel != \"test\""}}), 12, 23, "unknown record field 'chanel'; did you mean 'channel'?");
  ExpectOne(Edit({{12, "  where: handle_minutes"}}), 12, 10, "records.where must be a boolean, but this expression is a number");
  ExpectOne(Edit({{12, "  where: verified and tickets > 0"}}), 12, 23, "'tickets' cannot be used here: only record fields");
  ExpectOne(Edit({{12, "  where: count() > 0"}}), 12, 10, "aggregate 'count' can only be used in metrics");
  ExpectOne(Edit({{12, "  where: verified and undeclared"}}), 12, 23, "unknown record field 'undeclared'; declare it under records.fields");
  CHECK(Load(Edit({{12, "  where: present(csat) and csat >= 4 and outcome in [\"resolved\", \"escalated\"]"}})).diagnostics.empty());
  ExpectOne(Edit({{12, "  where: present(1)"}}), 12, 18, "present() takes a field name");
}

// ===========================================================================
// Metrics

TEST_CASE("contract: metrics are ordered by dependency; cycles are errors", "[contract]") {
  auto l = Load(kHeader +
                "metrics:\n"            // 8
                "  a: b + c\n"          // 9
                "  b: c * 2\n"          // 10
                "  c: count()\n"        // 11
                "  d: 1\n");            // 12
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  std::vector<std::string> order;
  for (auto& m : l.contract->metrics) order.push_back(m.name);
  CHECK(order == std::vector<std::string>{"c", "b", "a", "d"});

  ExpectOne(kHeader + "metrics:\n  a: a + 1\n", 9, 3, "metrics depend on each other in a cycle: a -> a");
  ExpectOne(kHeader + "metrics:\n  a: b + 1\n  b: c + 1\n  c: a + 1\n", 9, 3, "cycle: a -> b -> c -> a");
  // A cycle does not hide other problems, nor does it make rules that use
  // the metrics report them as unknown.
  auto c = Load(kHeader +
                "metrics:\n"                  // 8
                "  a: b + 1\n"                // 9
                "  b: a + 1\n"                // 10
                "  x: count() + fees\n"       // 11
                "rewards:\n"                  // 12
                "  - name: R\n"               // 13
                "    when: a > 1\n"           // 14
                "    amount: b\n");           // 15
  INFO(Dump(c));
  REQUIRE(c.diagnostics.size() == 2);
  CHECK(c.diagnostics[0].pos.line == 9);
  CHECK(c.diagnostics[0].pos.col == 3);
  CHECK(c.diagnostics[0].message == "metrics depend on each other in a cycle: a -> b -> a");
  CHECK(c.diagnostics[1].pos.line == 11);
  CHECK(c.diagnostics[1].pos.col == 16);
  CHECK(c.diagnostics[1].message == "'fees' can only be used in penalties, rewards and caps");
}

TEST_CASE("contract: a metric may share its name with a record field", "[contract]") {
  // The field inside the aggregate is not a reference to the metric.
  auto l = Load(kHeader +
                "records:\n"
                "  fields:\n"
                "    csat: integer\n"
                "metrics:\n"
                "  csat: mean(csat)\n"
                "  low: count(csat < 3)\n"
                "  share: low / count()\n");
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  CHECK(l.contract->metrics.size() == 3);
}

TEST_CASE("contract: metric names and expressions", "[contract]") {
  // (line 29 stays `tickets: count()`; the new metric is line 30)
  ExpectOne(Edit({{29, "  tickets: count()\n  fees: count()"}}), 30, 3, "'fees' is a reserved word and cannot name a metric");
  ExpectOne(Edit({{29, "  tickets: count()\n  count: count()"}}), 30, 3, "'count' is a reserved word");
  ExpectOne(Edit({{29, "  tickets: count()\n  tickets-all: count()"}}), 30, 3, "names in metrics must be identifiers");
  ExpectOne(Edit({{29, "  tickets: count()\n  resolved: count()"}}), 31, 3, "'resolved' is defined twice in metrics");
  ExpectOne(Edit({{29, "  tickets: count()\n  extra:"}}), 30, 9, "metric 'extra' must be a single value");
  ExpectOne(Edit({{29, "  tickets: count()\n  extra: \"\""}}), 30, 10, "metric 'extra' is empty");
  // Unknown names, with suggestions (also for metrics defined further down).
  ExpectOne(Edit({{28, "  resolution_rate: resolvd / tickets"}}), 28, 20, "unknown name 'resolvd'; did you mean 'resolved'?");
  ExpectOne(Edit({{28, "  resolution_rate: resolved / tickts"}}), 28, 31, "unknown name 'tickts'; did you mean 'tickets'?");
  ExpectOne(Edit({{27, "  availability: 1 - downtime / period.minute"}}), 27, 32, "unknown name 'period.minute'; did you mean 'period.minutes'?");
  ExpectOne(Edit({{52, "    amount: 25% * max(0, baselines.mttr_minute - mttr_minutes) / 60 * resolved * 85.00"}}), 52, 26,
            "unknown name 'baselines.mttr_minute'; did you mean 'baselines.mttr_minutes'?");
  ExpectOne(Edit({{30, "  resolved: count(outcom == \"resolved\")"}}), 30, 19, "unknown record field 'outcom'; did you mean 'outcome'?");
  ExpectOne(Edit({{30, "  resolved: cnt(outcome == \"resolved\")"}}), 30, 13, "unknown function 'cnt'; did you mean 'count'?");
  ExpectOne(Edit({{58, "    amount: 1% * fees * ceill((67% - resolution_rate) * 100)"}}), 58, 25, "unknown function 'ceill'; did you mean 'ceil'?");
  ExpectOne(Edit({{28, "  resolution_rate: zzzzzz / tickets"}}), 28, 20, "unknown name 'zzzzzz'");
  // Record fields only inside aggregates.
  ExpectOne(Edit({{29, "  tickets: handle_minutes * 2"}}), 29, 12,
            "record field 'handle_minutes' can only be used inside an aggregate such as count(handle_minutes == ...)");
  ExpectOne(Edit({{57, "    when: handle_minutes > 5"}}), 57, 11, "record field 'handle_minutes' can only be used inside an aggregate");
  // Metrics, baselines and period.* are not visible inside aggregates.
  ExpectOne(Edit({{29, "  tickets: count(baselines.mttr_minutes > 1)"}}), 29, 18, "'baselines.mttr_minutes' cannot be used here");
  // Aggregates only in metrics.
  ExpectOne(Edit({{57, "    when: count() > 5"}}), 57, 11, "aggregate 'count' can only be used in metrics");
  ExpectOne(Edit({{52, "    amount: sum(handle_minutes)"}}), 52, 13, "aggregate 'sum' can only be used in metrics");
  ExpectOne(Edit({{29, "  tickets: sum(count())"}}), 29, 16, "aggregate 'count' can only be used in metrics");
  // `fees` only in penalties, rewards and caps.
  ExpectOne(Edit({{27, "  availability: 1 - downtime / period.minutes + fees"}}), 27, 49, "'fees' can only be used in penalties, rewards and caps");
  ExpectOne(Edit({{54, "    amount: 10% * fees"}}), 54, 19, "'fees' can only be used in penalties, rewards and caps");
  ExpectOne(Edit({{59, "    cap: 15% * window.fees"}}), 59, 16, "'window.fees' can only be used in caps.penalties.window.limit");
  // Aggregate arguments.
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes)"}}), 32, 15, "'percentile' takes 2 to 3 arguments");
  ExpectOne(Edit({{32, "  p95_handle: percentile(channel, 95)"}}), 32, 26, "'percentile' needs a number or duration, not string");
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes, \"95\")"}}), 32, 42, "the percentile must be a number");
  ExpectOne(Edit({{29, "  tickets: count(outcome)"}}), 29, 18, "the condition of 'count' must be true or false, not string");
  ExpectOne(Edit({{29, "  tickets: count(1, 2)"}}), 29, 12, "'count' takes 0 to 1 arguments");
  ExpectOne(Edit({{29, "  tickets: highest(channel)"}}), 29, 20, "'highest' needs a number, duration or timestamp, not string");
  ExpectOne(Edit({{31, "  mttr_minutes: mean(resolved_at - opened_at, outcome == \"resolved\")"}}), 31, 17,
            "metric 'mttr_minutes' must be a number, but this expression is a duration (wrap a duration in minutes(...)");
  CHECK(Load(Edit({{29, "  tickets: distinct(channel) + lowest(handle_minutes) + minutes(highest(resolved_at) - lowest(opened_at))"}}))
            .diagnostics.empty());
}

TEST_CASE("contract: enum fields compare only with their values", "[contract]") {
  ExpectOne(Edit({{30, "  resolved: count(outcome == \"resolvd\")"}}), 30, 30,
            "\"resolvd\" is not a value of enum field 'outcome' (resolved, escalated, abandoned); did you mean \"resolved\"?");
  ExpectOne(Edit({{30, "  resolved: count(\"Resolved\" != outcome)"}}), 30, 19, "\"Resolved\" is not a value of enum field 'outcome'");
  ExpectOne(Edit({{30, "  resolved: count(outcome in [\"resolved\", \"zzz\"])"}}), 30, 43,
            "\"zzz\" is not a value of enum field 'outcome' (resolved, escalated, abandoned)");
  ExpectOne(Edit({{12, "  where: outcome != \"tset\""}}), 12, 21, "is not a value of enum field 'outcome'");
  // Plain string fields take any text.
  CHECK(Load(Edit({{30, "  resolved: count(outcome == \"resolved\" and channel == \"anything\")"}})).diagnostics.empty());
  CHECK(Load(Edit({{30, "  resolved: count(outcome in [\"resolved\", \"escalated\"])"}})).diagnostics.empty());
}

TEST_CASE("contract: CRLF line endings", "[contract]") {
  std::string text;
  for (auto& line : kGood) text += (line == kGood[56] ? std::string("    when: resolution_rate = 67%") : line) + "\r\n";
  auto l = Load(text);
  INFO(Dump(l));
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].pos.line == 57);
  CHECK(l.diagnostics[0].pos.col == 27);
  CHECK(reckon::FormatDiagnostics(l.diagnostics, l.text) ==
        "c.yaml:57:27: '=' is not an operator; use '==' to compare\n"
        "      when: resolution_rate = 67%\n"
        "                            ^\n");
  std::string good;
  for (auto& line : kGood) good += line + "\r\n";
  CHECK(Load(good).diagnostics.empty());
}

TEST_CASE("contract: percentile's p", "[contract]") {
  // Aggregates are computed before metrics: p cannot use one.
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes, tickets)"}}), 32, 42,
            "the percentile cannot use metric 'tickets'");
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes, 0)"}}), 32, 42, "the percentile must be above 0 and at most 100");
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes, 101)"}}), 32, 42, "at most 100");
  ExpectOne(Edit({{32, "  p95_handle: percentile(handle_minutes, fees)"}}), 32, 42, "'fees' can only be used in penalties");
  CHECK(Load(Edit({{32, "  p95_handle: percentile(handle_minutes, 100)"}})).diagnostics.empty());
  CHECK(Load(Edit({{32, "  p95_handle: percentile(handle_minutes, 99.9)"}})).diagnostics.empty());
  CHECK(Load(Edit({{32, "  p95_handle: percentile(handle_minutes, baselines.mttr_minutes / 3)"}})).diagnostics.empty());
}

TEST_CASE("contract: fees and schedules keep their metric when metrics are reordered", "[contract]") {
  auto l = Load(kHeader +
                "metrics:\n"
                "  doubled: base * 2\n"    // file index 0, evaluated second
                "  base: count()\n"        // file index 1, evaluated first
                "fees:\n"
                "  - name: F\n"
                "    per: doubled\n"
                "    price: 1\n"
                "  - name: G\n"
                "    per: base\n"
                "    price: 1\n"
                "penalties:\n"
                "  - name: P\n"
                "    metric: doubled\n"
                "    schedule:\n"
                "      - {below: 5, credit: 1}\n");
  INFO(Dump(l));
  REQUIRE(l.diagnostics.empty());
  const Contract& k = *l.contract;
  CHECK(k.metrics[0].name == "base");
  CHECK(k.metrics[1].name == "doubled");
  CHECK(k.metrics[size_t(k.fees[0].per_metric)].name == "doubled");
  CHECK(k.metrics[size_t(k.fees[1].per_metric)].name == "base");
  CHECK(k.metrics[size_t(k.penalties[0].schedule_metric)].name == "doubled");
}

TEST_CASE("contract: an empty value is reported where it is missing", "[contract]") {
  // yaml-cpp marks an empty value at the next token; the diagnostic points
  // just after the colon instead.
  ExpectOne(Edit({{3, "version:"}}), 3, 9, "version must be a single value");
  ExpectOne(Edit({{57, "    when:"}}), 57, 10, "when must be a single value");
  ExpectOne(Edit({{57, "    when:   # to do"}}), 57, 10, "when must be a single value");
  ExpectOne(Edit({{57, "    when:\n# to do\n\n  # to do"}}), 57, 10, "when must be a single value");
  ExpectOne(Edit({{84, "  net: {min: 0, max: 250000.00}\nbaselines:"}}), 85, 1, "key 'baselines' appears twice");
  ExpectOne(Join(kGood) + "extra:", 85, 1, "unknown key 'extra'");
  ExpectOne(kHeader + "metrics:\n  a:", 9, 5, "metric 'a' must be a single value");
  ExpectOne(kHeader + "fees:\n  -\n", 9, 4, "a fee must be a mapping");
  // An explicit null stays where it is written.
  ExpectOne(Edit({{3, "version: ~"}}), 3, 10, "version must be a single value");
}

TEST_CASE("contract: a byte order mark does not shift columns", "[contract]") {
  std::string text = "\xEF\xBB\xBF" + Edit({{57, "    when: resolution_rate = 67%"}, {2, "contract: Bad"}});
  auto l = Load(text);
  INFO(Dump(l));
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.diagnostics[0].pos.line == 2);
  CHECK(l.diagnostics[0].pos.col == 11);
  CHECK(l.diagnostics[1].pos.line == 57);
  CHECK(l.diagnostics[1].pos.col == 27);
  auto first = Load("\xEF\xBB\xBFreckon: 1\ncontract: a\nversion: 1\nvendor: v\ncurrency: USD\nperiod: monthly\n"
                    "effective: {from: 2026-01-01}\nrecords: {where: verified = true}\n");
  INFO(Dump(first));
  REQUIRE(first.diagnostics.size() == 1);
  CHECK(first.diagnostics[0].pos.line == 8);
  CHECK(first.diagnostics[0].pos.col == 27);
}

// ===========================================================================
// Types

TEST_CASE("contract: type errors", "[contract]") {
  ExpectOne(Edit({{57, "    when: resolution_rate + 1"}}), 57, 11, "when must be a boolean, but this expression is a number");
  ExpectOne(Edit({{58, "    amount: '\"x\" * 2'"}}), 58, 14, "cannot multiply string and number");
  ExpectOne(Edit({{58, "    amount: resolution_rate < 1"}}), 58, 13, "amount must be a number, but this expression is a boolean");
  ExpectOne(Edit({{59, "    cap: 15% * fees and true"}}), 59, 10, "cannot combine with 'and' number and boolean");
  ExpectOne(Edit({{57, "    when: resolution_rate < \"67%\""}}), 57, 11, "cannot order-compare number and string");
  ExpectOne(Edit({{57, "    when: resolution_rate == true"}}), 57, 11, "cannot compare number and boolean");
  ExpectOne(Edit({{57, "    when: not resolution_rate"}}), 57, 11, "'not' needs true or false, not number");
  ExpectOne(Edit({{57, "    when: -(resolution_rate > 1)"}}), 57, 11, "cannot negate boolean");
  ExpectOne(Edit({{57, "    when: resolution_rate in 67%"}}), 57, 30, "the right side of 'in' must be a list");
  ExpectOne(Edit({{57, "    when: resolution_rate in [\"a\"]"}}), 57, 11, "cannot look for number and list");
  ExpectOne(Edit({{57, "    when: resolution_rate in [1, \"a\"]"}}), 57, 34, "list items must all be of one type: number and string");
  ExpectOne(Edit({{57, "    when: resolution_rate in [tickets]"}}), 57, 31, "list items must be literals");
  ExpectOne(Edit({{57, "    when: true in if(true, [1], [2])"}}), 57, 19, "the right side of 'in' must be a list");
  ExpectOne(Edit({{57, "    when: 1 in coalesce([1], [2])"}}), 57, 16, "the right side of 'in' must be a list");
  ExpectOne(Edit({{58, "    amount: if(true, [1], [2])"}}), 58, 13, "amount must be a number, but this expression is a list");
  ExpectOne(Edit({{57, "    when: '[1] == [1]'"}}), 57, 12, "cannot compare list and list");
  ExpectOne(Edit({{58, "    amount: 1% * fees + 5m"}}), 58, 13, "cannot add number and duration");
  ExpectOne(Edit({{58, "    amount: minutes(5)"}}), 58, 21, "minutes() needs duration here, not number");
  ExpectOne(Edit({{58, "    amount: max(1, 5m)"}}), 58, 20, "max() needs arguments of one type: number and duration");
  ExpectOne(Edit({{58, "    amount: max(\"a\", \"b\")"}}), 58, 17, "max() needs number or duration or timestamp here, not string");
  ExpectOne(Edit({{58, "    amount: if(resolution_rate, 1, 2)"}}), 58, 16, "if() needs boolean here, not number");
  ExpectOne(Edit({{58, "    amount: if(true, 1, 5m)"}}), 58, 25, "if() needs arguments of one type: number and duration");
  ExpectOne(Edit({{58, "    amount: coalesce(1, true)"}}), 58, 25, "coalesce() needs arguments of one type");
  ExpectOne(Edit({{58, "    amount: round(fees, 2.5)"}}), 58, 25, "round() takes a whole number of digits from 0 to 18");
  ExpectOne(Edit({{58, "    amount: round(fees, 19)"}}), 58, 25, "from 0 to 18");
  ExpectOne(Edit({{58, "    amount: round(fees, tickets)"}}), 58, 25, "written as a literal");
  ExpectOne(Edit({{58, "    amount: round(fees)"}}), 58, 13, "wrong number of arguments: use round(x, digits)");
  ExpectOne(Edit({{58, "    amount: abs(1, 2)"}}), 58, 13, "wrong number of arguments: use abs(x)");
  ExpectOne(Edit({{58, "    amount: clamp(fees, 0)"}}), 58, 13, "clamp(x, lo, hi)");
  ExpectOne(Edit({{58, "    amount: present(fees)"}}), 58, 13, "present() tests a record field");
  ExpectOne(Edit({{58, "    amount: floor(5m)"}}), 58, 19, "floor() needs number here, not duration");
  ExpectOne(Edit({{63, "      - {below: '\"x\"', credit: 10% * fees}"}}), 63, 18, "a band threshold must be a number");
  ExpectOne(Edit({{63, "      - {below: 99.9%, credit: fees > 1}"}}), 63, 32, "credit must be a number, but this expression is a boolean");
  ExpectOne(Edit({{80, "    per_period: true"}}), 80, 17, "caps.penalties.per_period must be a number");
  ExpectOne(Edit({{84, "  net: {min: 0, max: 5m}"}}), 84, 22, "caps.net.max must be a number, but this expression is a duration");
}

TEST_CASE("contract: syntax errors inside expressions point into the file", "[contract]") {
  ExpectOne(Edit({{57, "    when: resolution_rate = 67%"}}), 57, 27, "'=' is not an operator; use '=='");
  ExpectOne(Edit({{57, "    when: resolution_rate < 5."}}), 57, 29, "a decimal point must be followed by digits");
  ExpectOne(Edit({{57, "    when: resolution_rate < 1e5"}}), 57, 29, "malformed number '1e'");
  ExpectOne(Edit({{57, "    when: resolution_rate < 67% 1"}}), 57, 33, "unexpected number '1' after the end of the expression");
  ExpectOne(Edit({{57, "    when: resolution_rate < < 1"}}), 57, 29, "expected a value but found '<'");
  ExpectOne(Edit({{57, "    when: resolution_rate < 1 < 2"}}), 57, 31, "comparisons do not chain");
  ExpectOne(Edit({{12, "  where: verified and channel != \"test"}}), 12, 34, "unterminated string");
  // Quoted YAML scalars: columns count the quote and the escapes as written.
  ExpectOne(Edit({{57, "    when: 'resolution_rate = 67%'"}}), 57, 28, "'=' is not an operator");
  ExpectOne(Edit({{57, "    when: \"resolution_rate = 67%\""}}), 57, 28, "'=' is not an operator");
  ExpectOne(Edit({{12, "  where: \"channel != \\\"test\\\" and verified = true\""}}), 12, 44, "'=' is not an operator");
  ExpectOne(Edit({{12, "  where: 'channel != \"it''s\" and verified = true'"}}), 12, 43, "'=' is not an operator");
  ExpectOne(Edit({{12, "  where: \"channel != \\\"test\\\" and verfied\""}}), 12, 35, "unknown record field 'verfied'; did you mean 'verified'?");
  // A plain scalar continued on the next line.
  ExpectOne(Edit({{58, "    amount: 1% * fees *"}, {59, "      ceil((67% - resolution_rate) * 100) = 1"}}), 59, 43, "'=' is not an operator");
  // A literal block scalar: the error on its second line.
  ExpectOne(Edit({{58, "    amount: |"}, {59, "      1% * fees *\n      ceil((67% - rate) * 100)"}}), 60, 19, "unknown name 'rate'");
  // A double-quoted scalar with \u and \x escapes and a line continuation.
  ExpectOne(Edit({{12, "  where: \"channel != \\\"\\u00e9\\x41\\\" and verified = true\""}}), 12, 50, "'=' is not an operator");
  ExpectOne(Edit({{12, "  where: \"channel != \\\"\\u00e9\\\" and \\"}, {13, "     verified = true\"\n  fields:"}}), 13, 15,
            "'=' is not an operator");
  // A folded block scalar.
  ExpectOne(Edit({{58, "    amount: >"}, {59, "      1% * fees * ceil((67% - rate) * 100)"}}), 59, 31, "unknown name 'rate'");
}

// ===========================================================================
// Fees, penalties, rewards, caps

TEST_CASE("contract: fee structure", "[contract]") {
  ExpectOne(Edit({{36, "    per: resolvd"}}), 36, 10, "per 'resolvd' is not a metric; did you mean 'resolved'?");
  ExpectOne(Edit({{36, "    amount: 1"}}), 37, 5, "'price' goes with 'per', not with 'amount'");
  ExpectOne(Edit({{37, "    # no price"}}), 35, 5, "a fee with 'per' has either 'price' or 'tiers' + 'prices'");
  ExpectOne(Edit({{37, "    amount: 1"}}), 35, 5, "a fee has either 'per' (with 'price' or 'tiers') or 'amount'");
  ExpectOne(Edit({{37, "    tiers: volume"}}), 35, 5, "tiers need 'prices'");
  ExpectOne(Edit({{37, "    price: free"}}), 37, 12, "price must be a decimal number such as 1200 or 0.99, not 'free'");
  ExpectOne(Edit({{35, "  - nme: Resolution fee"}}), 35, 5, "unknown key 'nme' in a fee; did you mean 'name'?");
  ExpectOne(Edit({{38, "  - name: Resolution fee"}}), 38, 11, "line name 'Resolution fee' is used twice");
  ExpectOne(Edit({{54, "    amount: \"\""}}), 54, 13, "amount is empty");
  ExpectOne(Edit({{40, "    tiers: stepped"}}), 40, 12, "tiers must be graduated or volume, not 'stepped'");
}

TEST_CASE("contract: tiers must strictly increase", "[contract]") {
  ExpectOne(Edit({{43, "      - {up_to: 10000, price: 0.99}"}}), 43, 17, "tiers must strictly increase: up_to 10000 is not above the previous 10000");
  ExpectOne(Edit({{42, "      - {up_to: 60000, price: 1.20}"}}), 43, 17, "up_to 50000 is not above the previous 60000");
  ExpectOne(Edit({{44, "      - {up_to: 90000, price: 0.80}"}}), 44, 17, "the last tier has no up_to");
  ExpectOne(Edit({{43, "      - {price: 0.99}"}}), 43, 9, "every tier but the last needs up_to");
  ExpectOne(Edit({{42, "      - {up_to: -1, price: 1.20}"}}), 42, 17, "up_to cannot be negative");
  ExpectOne(Edit({{42, "      - {up_to: 10000}"}}), 42, 9, "a tier needs a price");
  ExpectOne(Edit({{41, "    prices: []"}, {42, "#"}, {43, "#"}, {44, "#"}}), 41, 13, "prices must be a non-empty list");
}

TEST_CASE("contract: penalties, schedules, rewards", "[contract]") {
  ExpectOne(Edit({{64, "      - {above: 99%,   credit: 25% * fees}"}}), 64, 10, "one schedule uses one direction");
  ExpectOne(Edit({{69, "      - {above: 30, below: 10, credit: 5% * fees}"}}), 69, 9, "a band has either 'below' or 'above'");
  ExpectOne(Edit({{69, "      - {above: 30}"}}), 69, 9, "a band needs 'credit'");
  ExpectOne(Edit({{61, "    metric: availabilty"}}), 61, 13, "metric 'availabilty' is not a metric; did you mean 'availability'?");
  ExpectOne(Edit({{61, "    # no metric"}}), 60, 5, "a schedule needs 'metric'");
  ExpectSome(Edit({{61, "    when: true"}}), 60, 5, "a schedule needs 'metric'");
  ExpectSome(Edit({{61, "    when: true"}}), 61, 5, "'when' does not go with 'schedule'");
  // `when` is optional: the rule always applies.
  CHECK(Load(Edit({{57, "    # no when"}})).diagnostics.empty());
  ExpectOne(Edit({{58, "    # no amount"}}), 56, 5, "a penalty needs 'amount' (or 'metric' and 'schedule')");
  ExpectOne(Edit({{57, "    # no when"}, {58, "    # no amount"}}), 56, 5, "a penalty needs 'amount'");
  ExpectOne(Edit({{56, "  -"}}), 57, 5, "every penalty needs a 'name'");
  ExpectOne(Edit({{76, "    for_periods: 0"}}), 76, 18, "for_periods must be a whole number from 1 to 120");
  ExpectOne(Edit({{76, "    for_periods: 2.5"}}), 76, 18, "for_periods must be a whole number");
  ExpectOne(Edit({{59, "    for_periods: 3"}}), 59, 5, "unknown key 'for_periods' in a penalty");
  ExpectOne(Edit({{76, "    schedule: []"}}), 76, 5, "unknown key 'schedule' in a reward");
  ExpectOne(Edit({{62, "    schedule: []"}, {63, "#"}, {64, "#"}, {65, "#"}}), 62, 15, "schedule must be a non-empty list");
  std::map<int, std::string> no_penalties = {{55, "penalties: {}"}};
  for (int i = 56; i <= 69; ++i) no_penalties[i] = "#";
  ExpectOne(Edit(no_penalties), 55, 12, "penalties must be a list");
}

TEST_CASE("contract: caps", "[contract]") {
  ExpectOne(Edit({{81, "    window: {periods: 0, limit: 10% * window.fees}"}}), 81, 23, "periods must be a whole number from 1 to 120");
  ExpectOne(Edit({{81, "    window: {periods: 12}"}}), 81, 13, "a window cap needs 'periods' and 'limit'");
  ExpectOne(Edit({{81, "    window: {periods: 12, limit: 10% * window.fes}"}}), 81, 40, "unknown name 'window.fes'; did you mean 'window.fees'?");
  ExpectOne(Edit({{83, "    per_period: 10% * window.rewards"}}), 83, 23, "'window.rewards' can only be used in caps.penalties.window.limit");
  ExpectOne(Edit({{82, "  rewards: 5"}, {83, "#"}}), 82, 12, "caps.rewards must be a mapping");
  CHECK(Load(Edit({{81, "    window: {periods: 3, limit: window.fees - window.penalties + window.rewards}"}})).diagnostics.empty());
}

// ===========================================================================
// Many problems at once

TEST_CASE("contract: five different mistakes are all reported in one load", "[contract]") {
  auto l = Load(Edit({
      {4, "vendr: acme-ai"},                                       // unknown key (and so no vendor)
      {6, "currency: USX"},                                        // unknown currency
      {9, "effective: {from: 2026-01-15, to: 2026-12-31}"},        // not a period start
      {28, "  resolution_rate: resolvd / tickets"},                // unknown name
      {57, "    when: resolution_rate + 1"},                       // not a boolean
  }));
  INFO(Dump(l));
  CHECK(l.contract == nullptr);
  REQUIRE(l.diagnostics.size() == 5);
  struct Want { int line, col; const char* message; };
  const Want want[] = {
      {4, 1, "unknown key 'vendr' in the contract; did you mean 'vendor'?"},
      {6, 11, "unknown currency 'USX'; use an ISO 4217 code such as USD, EUR or JPY"},
      {9, 19, "effective.from 2026-01-15 is not the first day of a monthly period"},
      {28, 20, "unknown name 'resolvd'; did you mean 'resolved'?"},
      {57, 11, "when must be a boolean, but this expression is a number"},
  };
  for (size_t i = 0; i < 5; ++i) {
    INFO(i);
    CHECK(l.diagnostics[i].pos.line == want[i].line);
    CHECK(l.diagnostics[i].pos.col == want[i].col);
    CHECK(l.diagnostics[i].message == want[i].message);
  }
}

TEST_CASE("contract: one expression reports every type error in it", "[contract]") {
  auto l = Load(Edit({{58, "    amount: fess * 2 + tickts"}}));
  INFO(Dump(l));
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(l.diagnostics[0].pos.col == 13);
  CHECK(l.diagnostics[0].message == "unknown name 'fess'; did you mean 'fees'?");
  CHECK(l.diagnostics[1].pos.col == 24);
  CHECK(l.diagnostics[1].message == "unknown name 'tickts'; did you mean 'tickets'?");
}

// ===========================================================================
// FormatDiagnostics

TEST_CASE("contract: FormatDiagnostics prints file:line:col, the line and a caret", "[contract]") {
  auto l = Load(Edit({{6, "currency: USX"}, {57, "    when: resolution_rate + 1"}}));
  REQUIRE(l.diagnostics.size() == 2);
  CHECK(reckon::FormatDiagnostics(l.diagnostics, l.text) ==
        "c.yaml:6:11: unknown currency 'USX'; use an ISO 4217 code such as USD, EUR or JPY\n"
        "  currency: USX\n"
        "            ^\n"
        "c.yaml:57:11: when must be a boolean, but this expression is a number\n"
        "      when: resolution_rate + 1\n"
        "            ^\n");
  // Column 1, a missing key at 1:1, CRLF lines, tabs before the column, no line.
  std::vector<Diagnostic> d = {{{"f.yaml", 1, 1}, "first"}, {{"f.yaml", 2, 3}, "tab"}, {{"f.yaml", 0, 0}, "nowhere"},
                               {{"f.yaml", 9, 1}, "past the end"}};
  CHECK(reckon::FormatDiagnostics(d, "a: 1\r\n\tb: x\r\n") ==
        "f.yaml:1:1: first\n"
        "  a: 1\n"
        "  ^\n"
        "f.yaml:2:3: tab\n"
        "  \tb: x\n"
        "  \t ^\n"
        "f.yaml: nowhere\n"  // unknown line and column are left out
        "f.yaml:9:1: past the end\n");
}

TEST_CASE("contract: size limit", "[contract]") {
  std::string big = kHeader + "# " + std::string(reckon::kMaxContractBytes, 'x') + "\n";
  ExpectOne(big, 1, 1, "contract file is larger than the limit of 1048576 bytes");
  std::string path = "/tmp/h3-big-contract.yaml";
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f);
    for (int i = 0; i < 3; ++i) std::fwrite(big.data(), 1, big.size(), f);
    std::fclose(f);
  }
  auto l = reckon::LoadContractFile(path);
  std::remove(path.c_str());
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].message == "contract file is larger than the limit of 1048576 bytes");
}

TEST_CASE("contract: LoadContractFile", "[contract]") {
  auto l = reckon::LoadContractFile("/nonexistent/dir/c.yaml");
  REQUIRE(l.diagnostics.size() == 1);
  CHECK(l.diagnostics[0].pos.line == 0);
  CHECK(l.diagnostics[0].message.find("cannot open contract '/nonexistent/dir/c.yaml'") == 0);
}

TEST_CASE("contract: text must be valid UTF-8, reported at the first bad byte", "[contract]") {
  // Latin-1 "é" (0xE9) in a value and "ü" (0xFC) in a comment; a BOM does not count as a column.
  ExpectOne(Edit({{5, "customer: Soci\xE9t\xE9"}}), 5, 15, "contract is not valid UTF-8 (byte 0xE9); save the file as UTF-8");
  ExpectOne("# Vertrag f\xFCr\n" + Join(kGood), 1, 12, "contract is not valid UTF-8 (byte 0xFC)");
  ExpectOne("\xEF\xBB\xBF# f\xFC\n" + Join(kGood), 1, 4, "(byte 0xFC)");
  // Overlong forms, surrogates, code points above U+10FFFF and truncated sequences.
  for (const char* bad : {"\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80", "\xF8\x88\x80\x80\x80", "\xE2\x82", "\x80"}) {
    INFO(bad);
    ExpectOne(Edit({{5, std::string("customer: x") + bad}}), 5, 12, "contract is not valid UTF-8");
  }
  // Well-formed UTF-8 of every length loads.
  auto l = Load(Edit({{5, "customer: \"Soci\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80\""}}));
  INFO(Dump(l));
  REQUIRE(l.contract != nullptr);
  CHECK(l.contract->customer == "Soci\xC3\xA9t\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80");
}

TEST_CASE("contract: an amendment keeps the period kind and its period boundary", "[contract]") {
  auto version = [](int v, const std::string& zone, const std::string& period, const std::string& from) {
    std::string text = "reckon: 1\ncontract: small\nversion: " + std::to_string(v) + "\nvendor: v\ncurrency: USD\n" +
                       (zone.empty() ? "" : "timezone: " + zone + "\n") + "period: " + period + "\neffective: {from: " + from + "}\n";
    auto l = LoadContractText("v" + std::to_string(v) + ".yaml", text);
    INFO(Dump(l));
    REQUIRE(l.contract != nullptr);
    return std::move(l.contract);
  };
  auto v1 = version(1, "", "monthly", "2026-01-01");
  // Same zone, or a zone with the same offset at the seam (London is UTC+0 on 2026-11-01): accepted.
  CHECK(reckon::CheckAmendment(*v1, *version(2, "UTC", "monthly", "2026-11-01")).ok());
  CHECK(reckon::CheckAmendment(*v1, *version(2, "Europe/London", "monthly", "2026-11-01")).ok());
  // London is UTC+1 on 2026-07-01: the boundary moves by an hour.
  auto london_summer = reckon::CheckAmendment(*v1, *version(2, "Europe/London", "monthly", "2026-07-01"));
  CHECK_FALSE(london_summer.ok());
  CHECK(london_summer.kind() == reckon::ErrorKind::kInvalidInput);
  // Tokyo: November starts 9 hours earlier (overlap). Both instants are named, at the timezone line.
  auto tokyo = reckon::CheckAmendment(*v1, *version(2, "Asia/Tokyo", "monthly", "2026-11-01"));
  REQUIRE_FALSE(tokyo.ok());
  CHECK(tokyo.message().find("starts its first period 2026-11 at 2026-10-31T15:00:00Z") != std::string::npos);
  CHECK(tokyo.message().find("version 1's last period ends at 2026-11-01T00:00:00Z") != std::string::npos);
  CHECK(tokyo.pos().file == "v2.yaml");
  CHECK(tokyo.pos().line == 6);
  // The period kind cannot change, even where the boundaries agree.
  auto quarterly = reckon::CheckAmendment(*v1, *version(2, "", "quarterly", "2026-10-01"));
  REQUIRE_FALSE(quarterly.ok());
  CHECK(quarterly.message().find("an amendment cannot change `period`") != std::string::npos);
  CHECK(quarterly.pos().line == 6);
}

TEST_CASE("contract: a metric that depends on no record and exceeds the exact value bound is refused", "[contract]") {
  // 10^58 is 193 bits; its cube (579 bits) is over kMaxNumberBits (512), its square is not.
  const std::string big = "10000000000000000000000000000000000000000000000000000000000";
  const std::string base = kHeader + "baselines:\n  b: " + big + "\nmetrics:\n  m0: baselines.b\n  m1: m0 * m0\n";
  auto ok = Load(base);
  INFO(Dump(ok));
  CHECK(ok.contract != nullptr);
  ExpectOne(base + "  m2: m1 * m0\n", 13, 7, "metric 'm2' does not depend on the records, and `m1 * m0` needs an exact value larger than the limit of 512 bits");
  // A metric that depends on the records or the period is evaluated at settlement only.
  auto later = Load(base + "  n: count()\n  m2: m1 * m0 * n\n  m3: m1 * m0 * period.days\n");
  INFO(Dump(later));
  CHECK(later.contract != nullptr);
}

// ===========================================================================
// commitment, settle_after, baselines of every literal, once, period.start/end

TEST_CASE("contract: settle_after is a duration in exact seconds", "[contract]") {
  CHECK(Load(kHeader).contract->settle_after.is_zero());
  CHECK(Load(kHeader).contract->settle_after_pos.line == 0);
  auto three = Load(kHeader + std::string("settle_after: 3d\n"));
  INFO(Dump(three));
  REQUIRE(three.contract);
  CHECK(three.contract->settle_after == Number::FromInt(3 * 86400));
  CHECK(three.contract->settle_after_pos.line == 8);
  CHECK(three.contract->settle_after_pos.col == 15);
  CHECK(Load(kHeader + std::string("settle_after: 1.5h\n")).contract->settle_after == Number::FromInt(5400));
  CHECK(Load(kHeader + std::string("settle_after: 366d\n")).contract->settle_after == Number::FromInt(reckon::kMaxSettleAfterDays * 86400));
  ExpectOne(kHeader + std::string("settle_after: 367d\n"), 8, 15, "settle_after 367d is longer than the limit of 366 days");
  ExpectOne(kHeader + std::string("settle_after: -1d\n"), 8, 15, "settle_after cannot be negative");
  ExpectOne(kHeader + std::string("settle_after: 3\n"), 8, 15, "settle_after must be a duration such as 3d, 12h or 90m");
  ExpectOne(kHeader + std::string("settle_after: soon\n"), 8, 15, "settle_after must be a literal such as 3d or 12h");
  ExpectOne(kHeader + std::string("setle_after: 3d\n"), 8, 1, "unknown key 'setle_after' in the contract; did you mean 'settle_after'?");
}

TEST_CASE("contract: commitment", "[contract]") {
  auto l = Load(kHeader + std::string("commitment:\n  name: Minimum monthly commitment\n  minimum: 4000.00\n"));
  INFO(Dump(l));
  REQUIRE(l.contract);
  REQUIRE(l.contract->commitment);
  CHECK(l.contract->commitment->name == "Minimum monthly commitment");
  CHECK(l.contract->commitment->minimum == Number::FromInt(4000));
  CHECK_FALSE(Load(kHeader).contract->commitment);
  ExpectOne(kHeader + std::string("commitment:\n  name: M\n  minimum: -1\n"), 10, 12, "commitment.minimum cannot be negative");
  ExpectOne(kHeader + std::string("commitment:\n  name: M\n  minimum: 1.005\n"), 10, 12, "has more decimals than USD has (2)");
  ExpectOne(kHeader + std::string("commitment:\n  name: M\n  minimum: fees * 2\n"), 10, 12, "commitment.minimum must be a decimal number");
  ExpectOne(kHeader + std::string("commitment:\n  name: M\n"), 9, 3, "commitment needs 'minimum'");
  ExpectOne(kHeader + std::string("commitment:\n  minimum: 5\n"), 9, 3, "every commitment needs a 'name'");
  ExpectOne(kHeader + std::string("commitment:\n  name: M\n  minimun: 5\n"), 10, 3, "unknown key 'minimun' in commitment; did you mean 'minimum'?");
  ExpectOne(kHeader + std::string("comitment:\n  name: M\n  minimum: 5\n"), 8, 1, "did you mean 'commitment'?");
  // Its name is a line name: distinct from the fee lines.
  ExpectOne(kHeader + std::string("fees:\n  - name: M\n    amount: 1\ncommitment:\n  name: M\n  minimum: 5\n"), 12, 9,
            "line name 'M' is used twice");
}

TEST_CASE("contract: baselines accept every literal; a refused one is reported once", "[contract]") {
  auto l = Load(kHeader + std::string("baselines:\n  a: 4.2h\n  b: 30%\n  c: -2\n  d: '\"gold\"'\n  e: true\n"
                                      "metrics:\n  m: hours(baselines.a) * baselines.b + baselines.c + if(baselines.e and baselines.d == \"gold\", 1, 0)\n"));
  INFO(Dump(l));
  REQUIRE(l.contract);
  const auto& b = l.contract->baselines;
  REQUIRE(b.size() == 5);
  CHECK(b[0].type == reckon::Type::kDuration);
  CHECK(b[0].value.num == Number::FromInt(15120));
  CHECK(b[1].value.num == Number(Number::Rational(3, 10)));
  CHECK(b[2].value.num == Number::FromInt(-2));
  CHECK(b[3].type == reckon::Type::kString);
  CHECK(b[4].type == reckon::Type::kBool);
  // `4,2` is not a literal: one error at the baseline, none where it is used.
  ExpectOne(kHeader + std::string("baselines:\n  x: 4,2\nmetrics:\n  m: baselines.x * 2\n  n: m + baselines.x\n"), 9, 6,
            "baseline 'x' must be a literal such as 240, 6.40, 30%, 4.2h");
  ExpectOne(kHeader + std::string("baselines:\n  x: [1, 2]\n"), 9, 6, "baseline 'x' must be a single value");
  ExpectOne(kHeader + std::string("baselines:\n  x: '[1, 2]'\n"), 9, 6, "baseline 'x' must be a literal");
  ExpectOne(kHeader + std::string("baselines:\n  x: 1 + 1\n"), 9, 6, "baseline 'x' must be a literal");
  // A typed baseline is checked where it is used.
  ExpectOne(kHeader + std::string("baselines:\n  x: 4h\nmetrics:\n  m: baselines.x * 2\n"), 11, 6, "metric 'm' must be a number, but this expression is a duration");
}

TEST_CASE("contract: once goes with a streak reward", "[contract]") {
  std::string r = kHeader + std::string("rewards:\n  - name: R\n    amount: 5\n");
  CHECK(Load(r + "    for_periods: 3\n    once: true\n").contract->rewards[0].once);
  CHECK(Load(r + "    once: false\n").diagnostics.empty());
  ExpectOne(r + "    once: true\n", 11, 5, "'once: true' goes with a streak reward (for_periods: N with N of 2 or more)");
  ExpectOne(r + "    for_periods: 1\n    once: true\n", 12, 5, "'once: true' goes with a streak reward");
  ExpectOne(r + "    for_periods: 3\n    once: yes\n", 12, 11, "once must be true or false");
  ExpectOne(r + "    for_periods: 0\n    once: true\n", 11, 18, "for_periods must be a whole number");
  ExpectOne(kHeader + std::string("penalties:\n  - name: P\n    amount: 5\n    once: true\n"), 11, 5, "unknown key 'once' in a penalty");
}

TEST_CASE("contract: period.start and period.end are timestamps, also over records", "[contract]") {
  std::string k = kHeader + std::string(
      "records:\n  where: occurred_at < period.end\n  fields:\n    started_at: timestamp\n    ended_at: timestamp\n"
      "metrics:\n  down: sum(minutes(min(ended_at, period.end) - max(started_at, period.start)))\n"
      "  span: days(period.end - period.start)\n"
      "penalties:\n  - name: P\n    when: period.start < period.end\n    amount: 1\n");
  auto l = Load(k);
  INFO(Dump(l));
  CHECK(l.diagnostics.empty());
  ExpectOne(kHeader + std::string("metrics:\n  m: period.start\n"), 9, 6, "metric 'm' must be a number, but this expression is a timestamp");
  ExpectOne(kHeader + std::string("metrics:\n  m: minutes(period.end - 1)\n"), 9, 14, "cannot subtract timestamp and number");
  ExpectOne(kHeader + std::string("metrics:\n  m: days(period.ending - period.start)\n"), 9, 11, "did you mean 'period.end'?");
}
