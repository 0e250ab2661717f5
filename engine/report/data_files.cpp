// report.json and report.csv (see report.h): one row per contract, period
// and measure, exact decimals as recorded.
#include "engine/report/report.h"

#include "engine/csv_cell.h"
#include "ledger/chain.h"

#include <nlohmann/json.hpp>

namespace reckon {

std::vector<ReportMeasure> MeasuresOf(const ContractSeries& c, const ReportPoint& p) {
  const StatementTotals& t = p.statement.totals;
  std::vector<ReportMeasure> out = {
      {"fees", t.fees.Text()},       {"penalties", t.penalties.Text()},          {"rewards", t.rewards.Text()},
      {"adjustments", t.adjustments.Text()}, {"true_up", t.true_up.Text()},       {"net", t.net.Text()},
      {"adjustments_later", p.later.Text()}, {"final_net", p.final_net.Text()},
  };
  for (auto& name : c.metrics) {
    const MetricValue* m = p.statement.Metric(name);
    if (!m) continue;  // a metric of another version
    out.push_back({"metric:" + name, m->value});
  }
  // The contract's `reported:` KPIs (computed after the money), as recorded.
  if (p.statement.reported)
    for (auto& r : *p.statement.reported) out.push_back({"reported:" + r.name, r.value});
  return out;
}

std::string ReportCsvHeader() { return "contract,vendor,currency,period,measure,value\n"; }

std::string ReportCsv(const ContractSeries& c) {
  std::string out;
  for (auto& p : c.points)
    for (auto& m : MeasuresOf(c, p))
      out += SpreadsheetCsvRow({c.contract, c.vendor, c.currency.code, p.statement.period, m.name, m.value ? *m.value : std::string()});
  return out;
}

std::string ReportJson(const ReportData& data) {
  nlohmann::json rows = nlohmann::json::array();
  nlohmann::json contracts = nlohmann::json::array();
  for (auto& c : data.contracts) {
    nlohmann::json periods = nlohmann::json::array();
    nlohmann::json guarantees = nlohmann::json::array();
    for (auto& p : c.points) {
      periods.push_back({{"period", p.statement.period}, {"version", p.statement.version}, {"seq", p.statement.ledger ? p.statement.ledger->seq : 0}});
      for (auto& g : p.guarantees)
        guarantees.push_back({{"period", p.statement.period}, {"rule", g.rule}, {"kind", g.penalty ? "penalty" : "reward"},
                              {"metric", g.metric}, {"op", g.op}, {"value", g.value.ToString()}, {"text", g.text}});
      for (auto& m : MeasuresOf(c, p))
        rows.push_back({{"contract", c.contract}, {"vendor", c.vendor}, {"currency", std::string(c.currency.code)}, {"period", p.statement.period},
                        {"measure", m.name}, {"value", m.value ? nlohmann::json(*m.value) : nlohmann::json(nullptr)}});
    }
    contracts.push_back({{"contract", c.contract}, {"vendor", c.vendor}, {"currency", std::string(c.currency.code)},
                         {"period_kind", std::string(PeriodKindName(c.kind))}, {"periods", periods}, {"guarantees", guarantees}});
  }
  nlohmann::json j = {{"head", {{"seq", data.head.seq}, {"hash", ToHex(data.head.hash)}}},
                      {"from", data.from.empty() ? nlohmann::json(nullptr) : nlohmann::json(data.from)},
                      {"to", data.to.empty() ? nlohmann::json(nullptr) : nlohmann::json(data.to)},
                      {"contracts", contracts},
                      {"rows", rows}};
  return j.dump(1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace reckon
