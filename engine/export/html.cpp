// statement.html rendering (see html.h).
#include "engine/export/html.h"

#include "ledger/chain.h"

#include <algorithm>
#include <map>

namespace reckon {

namespace {

const std::string kCss = std::string(kPageCss) + R"(.yes{color:#a11;font-weight:bold}.no{color:#555}
.explain{color:#333;font-size:13px}.muted{color:#666;font-size:12px})";

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
  std::string cur(st.currency.code);
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>Statement " + Html(st.contract) + " " + Html(st.period) + "</title>\n";
  h += "<style>\n" + std::string(kCss) + "\n</style>\n</head>\n<body>\n";
  h += "<h1>Statement " + Html(st.contract) + " &middot; " + Html(st.period) + "</h1>\n";
  h += "<p class=\"muted\">Audit bundle written by reckon export. Every figure below is in statement.json; "
       "MANIFEST.sha256 holds the SHA-256 of every file of the bundle.</p>\n";

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
  h += "<p class=\"muted\">Check against the ledger: <code>reckon verify --expect-head " + page.head.ToString() + "</code></p>\n";

  h += "<h2>Totals</h2>\n<table>\n<tr><th>Total</th><th>Amount (" + Html(cur) + ")</th></tr>\n";
  for (auto [name, money] : {std::pair{"fees", &st.totals.fees}, {"penalties", &st.totals.penalties}, {"rewards", &st.totals.rewards},
                             {"adjustments", &st.totals.adjustments}, {"true-up", &st.totals.true_up}})
    h += "<tr><td>" + std::string(name) + "</td><td class=\"num\">" + Html(money->Text()) + "</td></tr>\n";
  h += "<tr class=\"total\"><td>net</td><td class=\"num\">" + Html(st.totals.net.Text()) + "</td></tr>\n</table>\n";

  h += "<h2>Guarantees, penalties and rewards</h2>\n";
  std::map<std::string, std::string> guarantee;
  for (auto& r : contract.penalties)
    guarantee[r.name] = !r.schedule.empty() ? "credit schedule" : r.when.text.empty() ? "credit, always" : "credit when " + r.when.text;
  for (auto& r : contract.rewards) guarantee[r.name] = r.when.text.empty() ? "reward, always" : "reward when " + r.when.text;
  bool any_rule = false;
  std::string rules = "<table>\n<tr><th>Rule</th><th>Kind</th><th>Guarantee / condition</th><th>Applied</th><th>Amount</th><th>Explanation</th></tr>\n";
  for (auto& l : st.lines) {
    if (l.kind != LineKind::kPenalty && l.kind != LineKind::kReward && l.kind != LineKind::kCap) continue;
    any_rule = true;
    std::string applied = l.condition ? (*l.condition ? "yes" : "no") : "-";
    auto g = guarantee.find(l.name);
    rules += "<tr><td>" + Html(l.name) + "</td><td>" + Html(LineKindName(l.kind)) + "</td><td>" + Html(g == guarantee.end() ? "" : g->second) +
             "</td><td class=\"" + (applied == "yes" ? "yes" : "no") + "\">" + applied + "</td><td class=\"num\">" + Html(l.amount.Text()) +
             "</td><td class=\"explain\">" + Html(l.explain) + "</td></tr>\n";
  }
  h += any_rule ? rules + "</table>\n" : "<p>This contract has no penalties, rewards or caps.</p>\n";

  h += "<h2>Key figures (metrics)</h2>\n<table>\n<tr><th>Metric</th><th>Value</th></tr>\n";
  for (auto& m : st.metrics)
    h += "<tr><td>" + Html(m.name) + "</td><td class=\"num\">" + (m.value ? Html(*m.value) : std::string("undefined")) + "</td></tr>\n";
  h += "</table>\n";

  h += "<h2>Records</h2>\n<table>\n";
  const RecordCounts& r = st.records;
  for (auto [label, n] : {std::pair{"counted", r.counted}, {"excluded", r.excluded}, {"of which unverified", r.unverified},
                          {"voided", r.voided}, {"late", r.late}})
    h += "<tr><th>" + std::string(label) + "</th><td class=\"num\">" + std::to_string(n) + "</td></tr>\n";
  h += "</table>\n<p class=\"muted\">records.csv lists every record with its decision, ledger entry and hash.</p>\n";

  h += "<h2>Statement lines</h2>\n<table>\n<tr><th>Kind</th><th>Name</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
  for (auto& l : st.lines) {
    std::string name = l.name;
    if (!l.period.empty()) name += " (" + l.period + ")";
    h += "<tr><td>" + Html(LineKindName(l.kind)) + "</td><td>" + Html(name) + "</td><td class=\"num\">" + Html(l.amount.Text()) +
         "</td><td class=\"explain\">" + Html(l.explain) + "</td></tr>\n";
    if (l.kind == LineKind::kAdjustment && page.behind) {
      for (auto& b : *page.behind)
        if (b.period == l.period) h += "<tr><td></td><td colspan=\"3\" class=\"explain\">" + BehindHtml(b) + "</td></tr>\n";
    }
  }
  h += "<tr class=\"total\"><td></td><td>net</td><td class=\"num\">" + Html(st.totals.net.Text()) + "</td><td></td></tr>\n</table>\n";

  h += "<h2>Adjusted later</h2>\n";
  if (page.later.empty()) {
    h += "<p>No adjustment for this period has been posted (up to the head above).</p>\n";
  } else {
    h += "<p>Records for this period arrived or changed after it was settled; later statements adjusted it:</p>\n"
         "<table>\n<tr><th>Posted in</th><th>Entry</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
    for (auto& a : page.later)
      h += "<tr><td>" + Html(a.posted_in) + "</td><td>" + std::to_string(a.seq) + "</td><td class=\"num\">" + Html(a.amount) +
           "</td><td class=\"explain\">" + Html(a.explain) + "</td></tr>\n";
    h += "</table>\n";
  }

  h += "<h2>Not assessed</h2>\n";
  if (st.not_assessed.empty()) h += "<p>Every rule was assessed.</p>\n";
  else {
    h += "<table>\n<tr><th>Kind</th><th>Name</th><th>Reason</th></tr>\n";
    for (auto& n : st.not_assessed)
      h += "<tr><td>" + Html(n.kind) + "</td><td>" + Html(n.name) + "</td><td>" + Html(n.reason) + "</td></tr>\n";
    h += "</table>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace reckon
