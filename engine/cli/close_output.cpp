// `reckon close` text (see close_output.h).
#include "engine/cli/close_output.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon::cli {

std::string RenderCloseText(const CloseReport& r) {
  size_t cw = 8, vw = 6, nw = 3, pw = 6;
  for (auto& c : r.contracts) {
    cw = std::max(cw, c.contract.size());
    vw = std::max(vw, c.vendor.size());
    pw = std::max(pw, c.period.size());
    if (c.net) nw = std::max(nw, c.net->Text().size());
  }
  std::string out = fmt::format("Close {}\n", r.period);
  out += fmt::format("  {:<{}}  {:<{}}  {:<{}}  {:<8}  {:>{}}  {}\n", "contract", cw, "vendor", vw, "period", pw, "currency", "net", nw, "status");
  for (auto& c : r.contracts) {
    std::string status(CloseStatusName(c.status));
    if (!c.reason.empty()) status += ": " + c.reason;
    out += fmt::format("  {:<{}}  {:<{}}  {:<{}}  {:<8}  {:>{}}  {}\n", c.contract, cw, c.vendor, vw, c.period, pw, c.currency,
                       c.net ? c.net->Text() : "-", nw, status);
  }
  if (r.totals.empty()) out += "Net: nothing settled for this period\n";
  for (auto& [cur, m] : r.totals) out += fmt::format("Net {} {}\n", cur, m.Text());
  return out;
}

}  // namespace reckon::cli
