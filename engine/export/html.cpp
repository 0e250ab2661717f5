// statement.html rendering (see html.h).
#include "engine/export/html.h"

#include "engine/display.h"

#include "engine/export/guarantee_status.h"
#include "engine/human_number.h"
#include "ledger/chain.h"

#include <algorithm>
#include <iterator>

namespace reckon {

namespace {

// statement.html's own rules: the net payable block, the status colours,
// wrapping of long text, and A4 print (no row split across pages, headings
// kept with what follows, nothing wider than the page).
const std::string kCss = std::string(kPageCss) + R"(.explain{color:#333;font-size:13px;overflow-wrap:anywhere;word-break:break-word}.muted{color:#666;font-size:12px}
.net{border:2px solid #2b4c7e;background:#f4f6fa;padding:12px 16px;margin:0 0 12px}.net h1{font-size:16px;color:#2b4c7e;margin:0}
.net-amount{font-size:34px;font-weight:bold;margin:2px 0;font-family:"DejaVu Sans Mono",monospace}.net-period{margin:0 0 8px}
table.sum td{border:none;padding:2px 6px;vertical-align:bottom}table.sum td.op{font-size:18px;color:#2b4c7e}.num{font-family:"DejaVu Sans Mono",monospace;white-space:nowrap}
table.wide{width:100%}table.bands{margin:4px 0}table.bands td,table.bands th{padding:2px 6px;font-size:12px}tr.applied td{background:#fde2e1;font-weight:bold}
.status{font-weight:bold;padding:1px 6px;border-radius:3px;white-space:nowrap}.status.met{background:#e3f4e1;color:#1d5e17}
.status.breached{background:#fde2e1;color:#a11}.status.other{background:#eee;color:#444}
@page{size:A4;margin:14mm}
@media print{body{margin:0;font-size:11px}.explain{font-size:10px}.net-amount{font-size:28px}table{max-width:100%}
h2{break-after:avoid;page-break-after:avoid}tr,.net,.ok{break-inside:avoid;page-break-inside:avoid}thead{display:table-header-group}
*{-webkit-print-color-adjust:exact;print-color-adjust:exact}})";

std::string Html(std::string_view s) { return HtmlEscape(s); }

// The records behind one adjustment line: counts by change and by decision,
// then the first kHtmlRecordsPerAdjustment ids with their change and decision.
std::string BehindHtml(const AdjustmentRecords& b) {
  int64_t late = 0, corrected = 0, voided = 0, counted = 0;
  for (auto& r : b.rows) {
    (r.change == LateChange::kLate ? late : r.change == LateChange::kCorrected ? corrected : voided)++;
    counted += r.counted ? 1 : 0;
  }
  LateChanges c{late, corrected, voided};
  std::string h = "Records behind this adjustment (records.csv rows with affects_period " + Html(b.period) + "): " + Html(c.Text()) + "; " +
                  std::to_string(counted) + " counted, " + std::to_string(int64_t(b.rows.size()) - counted) + " not counted now.";
  if (b.rows.empty()) return h;
  h += "<br>\n";
  size_t shown = std::min(b.rows.size(), kHtmlRecordsPerAdjustment);
  for (size_t i = 0; i < shown; ++i) {
    const auto& r = b.rows[i];
    std::string decision(b.StatusText(r));
    if (!r.counted) decision += ": " + std::string(b.Reason(r));
    h += (i ? ", " : "") + Html(b.Id(r)) + " (rev " + std::to_string(r.revision) + ", " + Html(LateChangeName(r.change)) + ", " + Html(decision) + ")";
  }
  if (b.rows.size() > shown) h += " and " + std::to_string(b.rows.size() - shown) + " more";
  return h;
}

}  // namespace

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string StatementHtml(const StatementPage& page) {
  const Statement& st = *page.statement;
  const Contract& contract = *page.contract;
  std::string h;
  auto row2 = [&](std::string_view label, std::string_view value, const char* cls = nullptr) {
    h += "<tr><th>" + Html(label) + "</th><td" + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + Html(value) + "</td></tr>\n";
  };
  auto money = [](const Money& m) { return Html(GroupThousands(m.Text())); };
  std::string cur(st.currency.code);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>Statement " + Html(st.contract) + " " + Html(st.period) + "</title>\n";
  h += "<style>\n" + std::string(kCss) + "\n</style>\n</head>\n<body>\n";

  // Opens with the net payable, the totals that make it right under it.
  h += "<div class=\"net\" id=\"net-payable\">\n<h1>Net payable</h1>\n";
  h += "<p class=\"net-amount\">" + Html(cur) + " " + money(st.totals.net) + "</p>\n";
  h += "<p class=\"net-period\">" + Html(st.contract) + " v" + std::to_string(st.version) + " &middot; " + Html(st.vendor);
  if (!contract.customer.empty()) h += " &rarr; " + Html(contract.customer);
  h += " &middot; period " + Html(st.period) + " (" + Html(st.period_start) + " to " + Html(st.period_end) + ", exclusive)</p>\n";
  h += "<table class=\"sum\">\n<tr>";
  const std::pair<const char*, const Money*> totals[] = {{"fees", &st.totals.fees}, {"penalties", &st.totals.penalties},
                                                          {"rewards", &st.totals.rewards}, {"adjustments", &st.totals.adjustments},
                                                          {"true-up", &st.totals.true_up}};
  for (size_t i = 0; i < std::size(totals); ++i)
    h += std::string(i ? "<td class=\"op\">+</td>" : "") + "<td><span class=\"muted\">" + totals[i].first + "</span><br><span class=\"num\">" +
         money(*totals[i].second) + "</span></td>";
  h += "<td class=\"op\">=</td><td><span class=\"muted\">net</span><br><span class=\"num\"><b>" + money(st.totals.net) + "</b></span></td></tr>\n</table>\n";
  h += "<p class=\"muted\">Amounts in " + Html(cur) + "; penalties are credits (negative). Audit bundle written by reckon export: every figure "
       "is in statement.json; MANIFEST.sha256 holds the SHA-256 of every file of the bundle.</p>\n</div>\n";

  h += "<h2>Guarantees and SLAs</h2>\n";
  std::vector<GuaranteeStatus> gs = GuaranteeStatuses(contract, st);
  if (gs.empty()) {
    h += "<p>This contract has no guarantees (penalties) or rewards.</p>\n";
  } else {
    h += "<table class=\"wide\">\n<tr><th>Guarantee / SLA</th><th>Kind</th><th>Target</th><th>Actual</th><th>Status</th><th>Amount (" + Html(cur) +
         ")</th></tr>\n";
    for (auto& g : gs) {
      std::string target;
      if (!g.bands.empty()) {
        target = "credit schedule on " + Html(g.measure) + ":<br>\n<table class=\"bands\">\n<tr><th>" + (g.above ? "above" : "below") +
                 "</th><th>credit</th><th></th></tr>\n";
        for (auto& b : g.bands)
          target += std::string("<tr") + (b.applied ? " class=\"applied\"" : "") + "><td>" + Html(b.threshold) + "</td><td>" + Html(b.credit) +
                    "</td><td>" + (b.applied ? "applied" : "") + "</td></tr>\n";
        target += "</table>";
      } else if (!g.measure.empty()) {
        target = (g.kind == "penalty" ? "credit when " : "reward when ") + Html(g.measure) + " " + Html(g.op) + " <b>" + Html(g.target) + "</b>";
      } else {
        target = (g.kind == "penalty" ? "credit when " : "reward when ") + Html(g.target);
      }
      std::string actual = g.measure.empty() ? Html(g.actual) : Html(g.measure) + " = " + Html(g.actual);
      std::string state(GuaranteeStateName(g.state));
      std::string cls = g.state == GuaranteeState::kBreached ? "breached" : g.state == GuaranteeState::kMet ? "met" : "other";
      std::string status = "<span class=\"status " + cls + "\">" + Html(state) + "</span>";
      if (!g.reason.empty()) status += "<br><span class=\"muted\">" + Html(g.reason) + "</span>";
      h += "<tr><td>" + Html(g.name) + "</td><td>" + Html(g.kind) + "</td><td class=\"explain\">" + target + "</td><td class=\"explain\">" + actual +
           "</td><td>" + status + "</td><td class=\"num\">" + (g.line ? money(g.line->amount) : std::string("-")) + "</td></tr>\n";
    }
    h += "</table>\n";
  }

  h += "<h2>Statement lines</h2>\n<table class=\"wide\">\n<tr><th>Kind</th><th>Name</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
  for (auto& l : st.lines) {
    std::string name = l.name;
    if (!l.period.empty()) name += " (" + l.period + ")";
    h += "<tr><td>" + Html(LineKindName(l.kind)) + "</td><td>" + Html(name) + "</td><td class=\"num\">" + money(l.amount) +
         "</td><td class=\"explain\">" + Html(l.explain) + "</td></tr>\n";
    if (l.kind == LineKind::kAdjustment && page.behind) {
      for (auto& b : *page.behind)
        if (b.period == l.period) h += "<tr><td></td><td colspan=\"3\" class=\"explain\">" + BehindHtml(b) + "</td></tr>\n";
    }
  }
  h += "<tr class=\"total\"><td></td><td>net</td><td class=\"num\">" + money(st.totals.net) + "</td><td></td></tr>\n</table>\n";

  h += "<h2>Adjusted later</h2>\n";
  if (page.later.empty()) {
    h += "<p>No adjustment for this period has been posted (up to the head below).</p>\n";
  } else {
    h += "<p>Records for this period arrived or changed after it was settled; later statements adjusted it:</p>\n"
         "<table class=\"wide\">\n<tr><th>Posted in</th><th>Entry</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
    for (auto& a : page.later)
      h += "<tr><td>" + Html(a.posted_in) + "</td><td>" + std::to_string(a.seq) + "</td><td class=\"num\">" + Html(GroupThousands(a.amount)) +
           "</td><td class=\"explain\">" + Html(a.explain) + "</td></tr>\n";
    h += "</table>\n";
  }

  h += "<h2>Not assessed</h2>\n";
  if (st.not_assessed.empty()) h += "<p>Every rule was assessed.</p>\n";
  else {
    h += "<table>\n<tr><th>Kind</th><th>Name</th><th>Reason</th></tr>\n";
    for (auto& n : st.not_assessed)
      h += "<tr><td>" + Html(n.kind) + "</td><td>" + Html(n.name) + "</td><td class=\"explain\">" + Html(n.reason) + "</td></tr>\n";
    h += "</table>\n";
  }

  // Metrics (then reported KPIs) in the contract's order, with their display
  // labels and formats; statement.json keeps the exact values.
  h += "<h2>Key figures (metrics)</h2>\n<table>\n<tr><th>Metric</th><th>Value</th><th>Exact</th></tr>\n";
  auto row = [&](const std::string& name, const std::optional<std::string>& value) {
    h += "<tr><td>" + Html(MetricLabel(contract, name)) + "</td><td class=\"num\">" + Html(MetricForPeople(contract, name, value)) +
         "</td><td class=\"num muted\">" + (value ? Html(*value) : std::string("undefined")) + "</td></tr>\n";
  };
  std::vector<std::string> shown;
  for (auto& name : MetricsInContractOrder(contract)) {
    if (const MetricValue* m = st.Metric(name)) row(name, m->value), shown.push_back(name);
    else if (st.reported)
      for (auto& r : *st.reported)
        if (r.name == name) row(name, r.value), shown.push_back(name);
  }
  for (auto& m : st.metrics)  // any the contract does not name (defensive: the version that settled it names all)
    if (std::find(shown.begin(), shown.end(), m.name) == shown.end()) row(m.name, m.value);
  h += "</table>\n";

  h += "<h2>Records</h2>\n<table>\n";
  const RecordCounts& r = st.records;
  for (auto [label, n] : {std::pair{"counted", r.counted}, {"excluded", r.excluded}, {"of which unverified", r.unverified},
                          {"voided", r.voided}, {"late", r.late}})
    h += "<tr><th>" + std::string(label) + "</th><td class=\"num\">" + Html(GroupThousands(std::to_string(n))) + "</td></tr>\n";
  h += "</table>\n<p class=\"muted\">records.csv lists every record with its decision, ledger entry and hash.</p>\n";

  h += "<h2>Contract and period</h2>\n<table>\n";
  row2("Contract", st.contract);
  row2("Version", std::to_string(st.version));
  row2("Vendor", st.vendor);
  if (!contract.customer.empty()) row2("Customer", contract.customer);
  row2("Period", st.period);
  row2("From", st.period_start);
  row2("To (exclusive)", st.period_end);
  row2("Time zone", st.timezone);
  row2("Currency", cur);
  row2("Contract SHA-256", st.contract_sha256, "hash");
  h += "</table>\n";

  h += "<h2>Verification</h2>\n<div class=\"ok\">";
  h += "Chain verified: " + std::to_string(page.entries) + " entries. Head " + std::to_string(page.head.seq) + " <span class=\"hash\">" +
       ToHex(page.head.hash) + "</span><br>\n";
  if (st.ledger)
    h += "Statement entry " + std::to_string(st.ledger->seq) + " <span class=\"hash\">" + Html(st.ledger->hash) + "</span><br>\n";
  h += "Re-evaluated from " + std::to_string(page.records) + " records of the period: matches the recorded statement.";
  if (page.behind && !page.behind->empty())
    h += "<br>\nEach period it adjusts re-evaluated as its adjustment entry did: matches the recorded re-evaluation.";
  h += "</div>\n";
  h += "<p class=\"muted\">Check against the ledger: <code class=\"hash\">reckon verify --expect-head " + page.head.ToString() + "</code></p>\n";
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace reckon
