// `reckon status` output (see status_output.h).
#include "engine/cli/status_output.h"

#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon::cli {

using json = nlohmann::json;

json StatusJson(const LedgerStatus& st) {
  json contracts = json::array();
  for (auto& cs : st.contracts) {
    json settled = json::array();
    for (auto& s : cs.settled) settled.push_back({{"period", s.period}, {"net", s.net.Text()}, {"seq", s.seq}});
    json next = cs.next ? json{{"period", cs.next->period}, {"due", cs.next->due}, {"is_due", cs.next->is_due}} : json(nullptr);
    contracts.push_back({{"contract", cs.contract}, {"vendor", cs.vendor}, {"currency", cs.currency}, {"versions", cs.versions},
                         {"settled", settled}, {"next", next}, {"pending", cs.pending}});
  }
  json vendors = json::array();
  for (auto& v : st.vendors)
    vendors.push_back({{"vendor", v.vendor}, {"periods", v.periods}, {"uncovered", v.uncovered}, {"period_kind", v.period_kind}, {"zone", v.zone}});
  return {{"head", {{"seq", st.head.seq}, {"hash", ToHex(st.head.hash)}}}, {"records", st.records}, {"contracts", contracts}, {"vendors", vendors}};
}

std::string RenderStatusText(const LedgerStatus& st, const std::string& ledger_path) {
  std::string out = fmt::format("Ledger {}: {} entries, {} records\n", ledger_path, st.head.seq, st.records);
  out += fmt::format("Head: {}\n", st.head.ToString());
  if (st.contracts.empty()) out += "Contracts: none registered (reckon register CONTRACT.yaml)\n";
  else out += "Contracts:\n";
  for (auto& cs : st.contracts) {
    out += fmt::format("  {}  vendor {} · {} · version{} {}\n", cs.contract, cs.vendor, cs.currency, cs.versions.size() > 1 ? "s" : "",
                       fmt::join(cs.versions, ", "));
    if (cs.settled.empty()) out += "    settled   none\n";
    size_t w = 3;
    for (auto& s : cs.settled) w = std::max(w, s.net.Text().size());
    for (size_t i = 0; i < cs.settled.size(); ++i) {
      auto& s = cs.settled[i];
      out += fmt::format("    {:<9} {:<8}  net {:>{}}  (entry {})\n", i == 0 ? "settled" : "", s.period, s.net.Text(), w, s.seq);
    }
    if (cs.next)
      out += fmt::format("    next      {:<8}  due {}{}\n", cs.next->period, cs.next->due, cs.next->is_due ? " (due now)" : "");
    else
      out += "    next      none: the effective range is settled\n";
    for (auto& [period, n] : cs.pending)
      out += fmt::format("    pending   {:<8}  {} record{} changed since it was evaluated: the next settlement posts an adjustment\n", period, n,
                         n == 1 ? "" : "s");
  }
  if (!st.vendors.empty()) out += "Vendors (records per period):\n";
  for (auto& v : st.vendors) {
    std::string periods;
    for (auto& [p, n] : v.periods) periods += fmt::format("{}{} {}", periods.empty() ? "" : ", ", p, n);
    out += fmt::format("  {} ({} in {}): {}\n", v.vendor, v.period_kind, v.zone, periods.empty() ? "none" : periods);
    if (v.uncovered)
      out += fmt::format("    uncovered {} record{}: no registered contract of '{}' covers them; nobody pays for them\n", v.uncovered,
                         v.uncovered == 1 ? "" : "s", v.vendor);
  }
  return out;
}

}  // namespace reckon::cli
