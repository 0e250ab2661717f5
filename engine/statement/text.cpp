// The statement as text for people (RenderStatementText, statement.h).
#include "engine/statement.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

std::string RenderStatementText(const Statement& st) {
  std::string out;
  out += fmt::format("Statement {} v{} · vendor {} · period {} · {}\n", st.contract, st.version, st.vendor, st.period, st.currency.code);
  out += fmt::format("  from {} to {}\n", st.period_start, st.period_end);
  const RecordCounts& r = st.records;
  out += fmt::format("Records: {} counted, {} excluded ({} unverified), {} voided, {} late\n", r.counted, r.excluded, r.unverified,
                     r.voided, r.late);
  out += "Metrics:\n";
  size_t w = 0;
  for (auto& m : st.metrics) w = std::max(w, m.name.size());
  for (auto& m : st.metrics) out += fmt::format("  {:<{}}  {}\n", m.name, w, m.value ? *m.value : "undefined");
  out += "Lines:\n";
  size_t nw = 4, aw = 6;
  for (auto& l : st.lines) {
    nw = std::max(nw, l.name.size());
    aw = std::max(aw, l.amount.Text().size());
  }
  for (auto& l : st.lines) {
    out += fmt::format("  {:<10} {:<{}}  {:>{}}\n", LineKindName(l.kind), l.name, nw, l.amount.Text(), aw);
    out += fmt::format("  {:<10} {}\n", "", l.explain);
  }
  if (!st.not_assessed.empty()) {
    out += "Not assessed:\n";
    for (auto& n : st.not_assessed) out += fmt::format("  {:<10} {}: {}\n", n.kind, n.name, n.reason);
  }
  const StatementTotals& t = st.totals;
  out += fmt::format("Totals: fees {}  penalties {}  rewards {}  adjustments {}  true-up {}  net {} {}\n", t.fees.Text(),
                     t.penalties.Text(), t.rewards.Text(), t.adjustments.Text(), t.true_up.Text(), t.net.Text(), st.currency.code);
  if (st.ledger) out += fmt::format("Ledger entry: {}:{}\n", st.ledger->seq, st.ledger->hash);
  if (st.dry_run) out += "Dry run: nothing was written.\n";
  return out;
}

}  // namespace reckon
