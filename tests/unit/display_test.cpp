// Display of metrics for people, and the statement's `meta` / `reported`
// members in the stored payload (round trip, older statements without them,
// the reader's type rules).
#include "engine/display.h"
#include "ledger/canonical.h"
#include "ledger/payload/statement.h"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace reckon;

namespace {

Display Percent(int digits) {
  Display d;
  d.format = DisplayFormat::kPercent;
  d.digits = digits;
  return d;
}

Display Digits(int digits, std::string unit = "") {
  Display d;
  d.digits = digits;
  d.unit = std::move(unit);
  return d;
}

// A stored statement with no meta and no reported (as every earlier release wrote).
std::string Stored(const std::string& extra = "") {
  return R"({"as_of_seq":3,"contract":"c","contract_sha256":")" + std::string(64, 'a') +
         R"(","currency":"USD","lines":[{"amount":"10.00","explain":"x","kind":"fee","name":"Fee"}],)"
         R"("metrics":{"rate":"0.5"},"not_assessed":[],"period":"2026-10","period_end":"2026-11-01T00:00:00+00:00",)"
         R"("period_start":"2026-10-01T00:00:00+00:00","records":{"counted":1,"excluded":0,"late":0,"unverified":0,"voided":0},)"
         R"("timezone":"UTC","totals":{"adjustments":"0.00","fees":"10.00","net":"10.00","penalties":"0.00","rewards":"0.00",)"
         R"("true_up":"0.00"},"vendor":"v","version":1)" + extra + "}";
}

}  // namespace

TEST_CASE("display: percent multiplies by 100 and rounds half-even on the exact decimal", "[display]") {
  // 20/31 = 0.645161290322580645 (18 places) -> 64.516129...% -> 64.52%
  CHECK(FormatMetricForPeople(Percent(2), "0.645161290322580645") == "64.52%");
  CHECK(FormatMetricForPeople(Percent(2), "0.6451") == "64.51%");
  // Ties: 0.000125 -> 0.0125% -> 3 digits: 0.012% (half-even), 0.000135 -> 0.0135% -> 0.014%.
  CHECK(FormatMetricForPeople(Percent(3), "0.000125") == "0.012%");
  CHECK(FormatMetricForPeople(Percent(3), "0.000135") == "0.014%");
  CHECK(FormatMetricForPeople(Percent(0), "0.999") == "100%");
  Display exact;
  exact.format = DisplayFormat::kPercent;
  CHECK(FormatMetricForPeople(exact, "0.999") == "99.9%");
}

TEST_CASE("display: digits and unit; ties to even; undefined; thousands", "[display]") {
  CHECK(FormatMetricForPeople(Digits(1, "min"), "21.875") == "21.9 min");
  CHECK(FormatMetricForPeople(Digits(2), "0.125") == "0.12");
  CHECK(FormatMetricForPeople(Digits(2), "0.135") == "0.14");
  CHECK(FormatMetricForPeople(Digits(0), "2.5") == "2");
  CHECK(FormatMetricForPeople(Digits(2), "-0.001") == "0.00");
  CHECK(FormatMetricForPeople(Digits(1, "min"), std::nullopt) == "undefined");
  CHECK(FormatMetricForPeople(Display{}, "50000") == "50,000");
  CHECK(FormatMetricForPeople(Display{}, "1234.000000000000000001") == "1,234.000000000000000001");
  // 0.1 + 0.2 style values stay exact (never binary floating point).
  CHECK(FormatMetricForPeople(Digits(17), "0.30000000000000000") == "0.30000000000000000");
}

TEST_CASE("display: a statement without meta and reported reads and writes back without them", "[display]") {
  auto st = ReadStatementPayload(Stored(), 9);
  INFO(st.status().ToString());
  REQUIRE(st.ok());
  CHECK_FALSE(st->meta.has_value());
  CHECK_FALSE(st->reported.has_value());
  nlohmann::json j = StatementJson(*st);
  CHECK_FALSE(j.contains("meta"));
  CHECK_FALSE(j.contains("reported"));
}

TEST_CASE("display: meta and reported round-trip through the stored payload", "[display]") {
  std::string text = Stored(R"(,"meta":{"gl_account":"=6120","po_number":"PO-1"},"reported":{"cost":"562.5","none":null})");
  auto st = ReadStatementPayload(text, 9);
  INFO(st.status().ToString());
  REQUIRE(st.ok());
  REQUIRE(st->meta.has_value());
  CHECK(st->meta->at("po_number") == "PO-1");
  CHECK(st->meta->at("gl_account") == "=6120");
  REQUIRE(st->reported.has_value());
  REQUIRE(st->reported->size() == 2);
  CHECK(st->Reported("cost")->value == std::optional<std::string>("562.5"));
  CHECK_FALSE(st->Reported("none")->value.has_value());
  CHECK(st->Reported("missing") == nullptr);
  CHECK(CanonicalJson(StatementJson(*st)) == CanonicalJson(nlohmann::json::parse(text)));
}

TEST_CASE("display: the reader refuses a meta value that is not a string and a reported value that is not a decimal", "[display]") {
  auto meta = ReadStatementPayload(Stored(R"(,"meta":{"po_number":42})"), 9);
  REQUIRE_FALSE(meta.ok());
  CHECK(meta.status().kind() == ErrorKind::kIntegrity);
  CHECK(meta.status().message().find("statement entry 9: meta.po_number must be a string") != std::string::npos);
  auto rep = ReadStatementPayload(Stored(R"(,"reported":{"cost":"1e3"})"), 9);
  REQUIRE_FALSE(rep.ok());
  CHECK(rep.status().message().find("reported.cost is not a decimal number") != std::string::npos);
  auto arr = ReadStatementPayload(Stored(R"(,"meta":[])"), 9);
  REQUIRE_FALSE(arr.ok());
}
