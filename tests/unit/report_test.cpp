// Unit tests for engine/report: which rules give a guarantee line (only a
// comparison of a metric with a number literal, or a credit schedule of
// literal bands), and the exact chart geometry (no floating point).
#include "dsl/contract.h"
#include "engine/report/chart.h"
#include "engine/report/series.h"

#include <catch2/catch.hpp>

#include <string>

namespace {

std::unique_ptr<reckon::Contract> Load(const std::string& rules) {
  std::string text = "reckon: 1\ncontract: g\nversion: 1\nvendor: v\ncurrency: USD\ntimezone: UTC\nperiod: monthly\n"
                     "effective: {from: 2026-10-01}\nbaselines:\n  target: 90%\nmetrics:\n  tickets: count()\n  rate: tickets / 10\n"
                     "fees:\n  - name: Fee\n    per: tickets\n    price: 1.00\n" + rules;
  auto loaded = reckon::LoadContractText("g.yaml", text);
  INFO(reckon::FormatDiagnostics(loaded.diagnostics, loaded.text));
  REQUIRE(loaded.diagnostics.empty());
  return std::move(loaded.contract);
}

}  // namespace

TEST_CASE("report: a guarantee line only for metric OP literal", "[report]") {
  auto c = Load(
      "penalties:\n"
      "  - {name: Simple, when: rate < 67%, amount: 1.00}\n"
      "  - {name: Turned, when: 0.5 >= rate, amount: 1.00}\n"
      "  - {name: Compound, when: rate < 67% and tickets > 3, amount: 1.00}\n"
      "  - {name: Baseline, when: rate < baselines.target, amount: 1.00}\n"
      "  - {name: Always, amount: 1.00}\n"
      "  - name: Schedule\n    metric: rate\n    schedule:\n      - {below: 99.9%, credit: 1.00}\n      - {below: 95%, credit: 2.00}\n"
      "rewards:\n"
      "  - {name: Bonus, when: rate >= 80%, amount: 1.00}\n");
  auto lines = reckon::GuaranteesOf(*c);
  REQUIRE(lines.size() == 4);
  CHECK(lines[0].rule == "Simple");
  CHECK(lines[0].op == "<");
  CHECK(lines[0].text == "67%");
  CHECK(lines[0].value.ToString() == "0.67");
  CHECK(lines[0].penalty);
  CHECK(lines[1].rule == "Turned");
  CHECK(lines[1].op == "<=");  // 0.5 >= rate is rate <= 0.5
  CHECK(lines[1].value.ToString() == "0.5");
  CHECK(lines[2].rule == "Schedule");
  CHECK(lines[2].op == "<");
  CHECK(lines[2].text == "99.9%");  // the first band: where credits start
  CHECK(lines[3].rule == "Bonus");
  CHECK_FALSE(lines[3].penalty);
  CHECK(lines[3].op == ">=");
}

TEST_CASE("report: chart positions are exact fractions to a tenth of a pixel", "[report]") {
  using reckon::Number;
  reckon::ChartSeries s{"rate", {Number::FromInt(0), std::nullopt, Number::FromInt(3)}, "#000", false};
  std::string svg = reckon::LineChart("t <&>", {"2026-10", "2026-11", "2026-12"}, {s}, reckon::MetricAxis);
  CHECK(svg.find("<title>t &lt;&amp;&gt;</title>") != std::string::npos);
  // The plot spans y 24..136 (112 px): 3 is its top, 0 its bottom; the missing value has no point.
  CHECK(svg.find("points=\"121,136.0 328,24.0\"") != std::string::npos);
  CHECK(svg.find("NaN") == std::string::npos);
  std::string bars = reckon::BarChart("b", {"a"}, {{"net", {Number::FromInt(-1)}, "#000", false}}, reckon::MoneyAxis);
  CHECK(bars.find(">-1.00<") != std::string::npos);  // the axis' minimum, with two decimals
}
