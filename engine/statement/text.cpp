// The statement as text for people (RenderStatementText, statement.h).
#include "engine/statement.h"

#include "engine/display.h"
#include "engine/human_number.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

struct ShownValue {
  std::string label;
  std::string text;
};

// Metrics (or reported KPIs) as people read them: in the contract's order with
// their labels and display; without the contract, sorted by name, plain.
std::vector<ShownValue> Shown(const std::vector<MetricValue>& values, const Contract* contract) {
  std::vector<ShownValue> out;
  if (contract) {
    for (auto& name : MetricsInContractOrder(*contract)) {
      auto it = std::find_if(values.begin(), values.end(), [&](const MetricValue& m) { return m.name == name; });
      if (it != values.end()) out.push_back({MetricLabel(*contract, name), MetricForPeople(*contract, name, it->value)});
    }
    if (out.size() == values.size()) return out;
    out.clear();  // the statement and the contract disagree: show what is stored
  }
  for (auto& m : values) out.push_back({m.name, FormatMetricForPeople(Display{}, m.value)});
  return out;
}

void AppendValues(std::string& out, const std::vector<ShownValue>& values) {
  size_t w = 0;
  for (auto& v : values) w = std::max(w, v.label.size());
  for (auto& v : values) out += fmt::format("  {:<{}}  {}\n", v.label, w, v.text);
}

}  // namespace

std::string RenderStatementText(const Statement& st, const Contract* contract) {
  std::string out;
  out += fmt::format("Statement {} v{} · vendor {} · period {} · {}\n", st.contract, st.version, st.vendor, st.period, st.currency.code);
  out += fmt::format("  from {} to {}\n", st.period_start, st.period_end);
  if (st.meta)
    for (auto& [k, v] : *st.meta) out += fmt::format("  {}: {}\n", k, v);
  const RecordCounts& r = st.records;
  out += fmt::format("Records: {} counted, {} excluded ({} unverified), {} voided, {} late\n", r.counted, r.excluded, r.unverified,
                     r.voided, r.late);
  out += "Metrics:\n";
  AppendValues(out, Shown(st.metrics, contract));
  out += "Lines:\n";
  size_t nw = 4, aw = 6;
  for (auto& l : st.lines) {
    nw = std::max(nw, l.name.size());
    aw = std::max(aw, GroupThousands(l.amount.Text()).size());
  }
  for (auto& l : st.lines) {
    out += fmt::format("  {:<10} {:<{}}  {:>{}}\n", LineKindName(l.kind), l.name, nw, GroupThousands(l.amount.Text()), aw);
    out += fmt::format("  {:<10} {}\n", "", l.explain);
  }
  if (!st.not_assessed.empty()) {
    out += "Not assessed:\n";
    for (auto& n : st.not_assessed) out += fmt::format("  {:<10} {}: {}\n", n.kind, n.name, n.reason);
  }
  const StatementTotals& t = st.totals;
  auto g = [](const Money& m) { return GroupThousands(m.Text()); };
  out += fmt::format("Totals: fees {}  penalties {}  rewards {}  adjustments {}  true-up {}  net {} {}\n", g(t.fees), g(t.penalties),
                     g(t.rewards), g(t.adjustments), g(t.true_up), g(t.net), st.currency.code);
  if (st.reported) {
    out += "Reported:\n";
    AppendValues(out, Shown(*st.reported, contract));
  }
  if (st.ledger) out += fmt::format("Ledger entry: {}:{}\n", st.ledger->seq, st.ledger->hash);
  if (st.dry_run) out += "Dry run: nothing was written.\n";
  return out;
}

}  // namespace reckon
