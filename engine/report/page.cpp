// report.html (see report.h): self-contained -- inline CSS and SVG, no
// scripts, no external resources; every value escaped.
#include "engine/export/html.h"
#include "engine/human_number.h"
#include "engine/report/chart.h"
#include "engine/report/report.h"

#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>

namespace reckon {

namespace {

constexpr std::string_view kReportCss = R"css(
.grid{display:flex;flex-wrap:wrap;gap:8px}.chart{border:1px solid #e1e5ec;background:#fff}
.chart .ct{font-size:12px;font-weight:bold;fill:#2b4c7e}.chart .ax{font-size:10px;fill:#555}
.chart .plot{fill:#fafbfd;stroke:#c8ced8}.chart .zero{stroke:#888;stroke-width:1}
details{margin:10px 0;border:1px solid #c8ced8;border-radius:4px;padding:4px 10px}
summary{cursor:pointer;font-weight:bold;font-size:15px;color:#2b4c7e;padding:4px 0}
.sub{color:#555;font-size:13px}.neg{color:#a33}
@media print{@page{size:A4;margin:12mm}body{margin:0;font-size:11px}details{break-inside:avoid;border:none;padding:0}
.chart{break-inside:avoid}h2{break-after:avoid}summary{list-style:none}}
)css";

constexpr const char* kFees = "#2b6cb0";
constexpr const char* kPenalties = "#c53030";
constexpr const char* kRewards = "#2f855a";
constexpr const char* kAdjustments = "#b7791f";
constexpr const char* kTrueUp = "#6b46c1";
constexpr const char* kNet = "#1a202c";
constexpr const char* kMetric = "#2b6cb0";

std::string Amount(const reckon::Money& m) { return GroupThousands(m.Text()); }

std::string Cell(const std::string& text) { return "<td class=\"num\">" + HtmlEscape(text) + "</td>"; }

std::string ContractSection(const ContractSeries& c) {
  std::vector<std::string> x;
  for (auto& p : c.points) x.push_back(p.statement.period);
  reckon::Money total = reckon::Money::Zero(c.currency);
  for (auto& p : c.points) total += p.final_net;
  std::string html = fmt::format("<details open><summary>{} &middot; {} &middot; {} periods &middot; final net {} {}</summary>\n",
                                 HtmlEscape(c.contract), HtmlEscape(c.vendor), c.points.size(), HtmlEscape(Amount(total)),
                                 HtmlEscape(c.currency.code));
  if (c.points.empty()) return html + "<p class=\"sub\">No settled period in the range.</p></details>\n";
  html += "<div class=\"grid\">";
  // Money per period: the statement's totals, the adjustments posted later, the nets.
  auto series = [&](const char* label, const char* color, auto get) {
    ChartSeries s{label, {}, color, false};
    for (auto& p : c.points) s.values.push_back(get(p).amount());
    return s;
  };
  html += BarChart(fmt::format("Fees, credits, bonuses ({})", c.currency.code), x,
                   {series("fees", kFees, [](const ReportPoint& p) { return p.statement.totals.fees; }),
                    series("penalties", kPenalties, [](const ReportPoint& p) { return p.statement.totals.penalties; }),
                    series("rewards", kRewards, [](const ReportPoint& p) { return p.statement.totals.rewards; }),
                    series("adjustments", kAdjustments, [](const ReportPoint& p) { return p.statement.totals.adjustments + p.later; }),
                    series("true-up", kTrueUp, [](const ReportPoint& p) { return p.statement.totals.true_up; })},
                   MoneyAxis);
  html += BarChart(fmt::format("Net per period ({})", c.currency.code), x,
                   {series("final net", kNet, [](const ReportPoint& p) { return p.final_net; })}, MoneyAxis);
  // Each KPI against its guarantee lines.
  for (auto& name : c.metrics) {
    ChartSeries values{name, {}, kMetric, false};
    std::map<std::string, ChartSeries> lines;  // by rule
    bool any = false;
    for (size_t i = 0; i < c.points.size(); ++i) {
      const MetricValue* m = c.points[i].statement.Metric(name);
      std::optional<Number> v;
      if (m && m->value) v = Number::Parse(*m->value);
      any = any || v.has_value();
      values.values.push_back(v);
      for (auto& g : c.points[i].guarantees) {
        if (g.metric != name) continue;
        auto [it, added] = lines.try_emplace(g.rule, ChartSeries{fmt::format("{} {} {}", g.rule, g.op, g.text), {}, g.penalty ? kPenalties : kRewards, true});
        it->second.values.resize(c.points.size());
        it->second.values[i] = g.value;
      }
    }
    if (!any) continue;
    std::vector<ChartSeries> all{values};
    for (auto& [rule, s] : lines) all.push_back(s);
    html += LineChart(name, x, all, MetricAxis);
  }
  // Each `reported:` KPI (cost per resolution, ...), as recorded.
  std::vector<std::string> reported;
  for (auto& p : c.points)
    if (p.statement.reported)
      for (auto& r : *p.statement.reported)
        if (std::find(reported.begin(), reported.end(), r.name) == reported.end()) reported.push_back(r.name);
  for (auto& name : reported) {
    ChartSeries values{name + " (reported)", {}, kMetric, false};
    bool any = false;
    for (auto& p : c.points) {
      std::optional<Number> v;
      if (p.statement.reported)
        for (auto& r : *p.statement.reported)
          if (r.name == name && r.value) v = Number::Parse(*r.value);
      any = any || v.has_value();
      values.values.push_back(v);
    }
    if (any) html += LineChart(name + " (reported)", x, {values}, MetricAxis);
  }
  html += "</div>\n<table><tr><th>Period</th><th>Fees</th><th>Penalties</th><th>Rewards</th><th>Adjustments</th><th>True-up</th>"
          "<th>Net (statement)</th><th>Adjusted later</th><th>Final net</th><th>Entry</th></tr>\n";
  for (auto& p : c.points) {
    const StatementTotals& t = p.statement.totals;
    html += "<tr><td>" + HtmlEscape(p.statement.period) + "</td>" + Cell(Amount(t.fees)) + Cell(Amount(t.penalties)) + Cell(Amount(t.rewards)) +
            Cell(Amount(t.adjustments)) + Cell(Amount(t.true_up)) + Cell(Amount(t.net)) + Cell(Amount(p.later)) +
            "<td class=\"num\"><b>" + HtmlEscape(Amount(p.final_net)) + "</b></td>" +
            Cell(std::to_string(p.statement.ledger ? p.statement.ledger->seq : 0)) + "</tr>\n";
  }
  return html + "</table></details>\n";
}

}  // namespace

std::string ReportHtml(const ReportData& data) {
  std::string html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                     "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>Reckon portfolio report</title><style>";
  html += kPageCss;
  html += kReportCss;
  html += "</style></head><body>\n<h1>Portfolio report</h1>\n";
  html += fmt::format("<p class=\"sub\">Periods {} to {} &middot; {} contracts, {} settled periods &middot; from the recorded statements "
                      "as of ledger entry {} (<span class=\"hash\">{}</span>)</p>\n",
                      HtmlEscape(data.from.empty() ? "(first)" : data.from), HtmlEscape(data.to.empty() ? "(last)" : data.to),
                      data.contracts.size(), data.Periods(), data.head.seq, ToHex(data.head.hash));

  // Portfolio: final net per currency per month (a period counts in the month it ends).
  std::map<std::string, std::map<int, reckon::Money>> by_currency;
  std::map<std::pair<std::string, std::string>, std::pair<reckon::Money, size_t>> by_vendor;
  for (auto& c : data.contracts)
    for (auto& p : c.points) {
      auto period = Period::Parse(p.statement.period, c.kind);
      if (!period.ok()) continue;
      auto [it, added] = by_currency[std::string(c.currency.code)].try_emplace(MonthIndexOfEnd(*period), reckon::Money::Zero(c.currency));
      it->second += p.final_net;
      auto [v, vadded] = by_vendor.try_emplace(std::pair{c.vendor, std::string(c.currency.code)}, reckon::Money::Zero(c.currency), 0);
      v->second.first += p.final_net;
      ++v->second.second;
    }
  html += "<h2>Portfolio: net per currency per month</h2>\n<div class=\"grid\">";
  std::string tables;
  for (auto& [code, months] : by_currency) {
    std::vector<std::string> x;
    ChartSeries s{"final net", {}, kNet, false};
    tables += fmt::format("<table><tr><th>Month ({})</th><th>Final net</th></tr>\n", HtmlEscape(code));
    for (auto& [m, net] : months) {
      x.push_back(MonthIdOf(m));
      s.values.push_back(net.amount());
      tables += "<tr><td>" + HtmlEscape(MonthIdOf(m)) + "</td>" + Cell(Amount(net)) + "</tr>\n";
    }
    tables += "</table>\n";
    html += BarChart(fmt::format("Portfolio net, {}", code), x, {s}, MoneyAxis);
  }
  if (by_currency.empty()) html += "<p class=\"sub\">No settled period in the range.</p>";
  html += "</div>\n<div class=\"grid\">" + tables + "</div>\n";

  html += "<h2>Net per vendor</h2>\n<table><tr><th>Vendor</th><th>Currency</th><th>Periods</th><th>Final net</th></tr>\n";
  for (auto& [key, v] : by_vendor)
    html += "<tr><td>" + HtmlEscape(key.first) + "</td><td>" + HtmlEscape(key.second) + "</td>" + Cell(std::to_string(v.second)) +
            Cell(Amount(v.first)) + "</tr>\n";
  html += "</table>\n<h2>Contracts</h2>\n";
  for (auto& c : data.contracts) html += ContractSection(c);
  html += "<p class=\"sub\">Final net = the statement's net + the adjustments posted for the period by later statements. "
          "report.json and report.csv hold the same figures.</p>\n</body></html>\n";
  return html;
}

}  // namespace reckon
