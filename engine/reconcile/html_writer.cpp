// reconciliation.html (see writers.h): self-contained, no scripts, every
// value escaped.
#include "engine/reconcile/writers.h"

#include "engine/export/html.h"
#include "ledger/chain.h"

#include <fmt/format.h>

namespace reckon {

namespace {

const std::string kCss = std::string(kPageCss) + R"(.differ{background:#fbe9e7;border:1px solid #c0645a;padding:8px 12px;margin:8px 0}
.muted{color:#666;font-size:12px}@media print{body{margin:12mm}})";

std::string H(std::string_view s) { return HtmlEscape(s); }
std::string Num(std::string_view s) { return "<td class=\"num\">" + H(s) + "</td>"; }
std::string UnitsOf(const std::optional<Number>& n) { return n ? n->ToString() : std::string("undefined"); }

}  // namespace

std::string ReconciliationHtml(const ReconcileSummary& s, const std::vector<HtmlRow>& disputes, int64_t more) {
  const std::string cur(s.currency.code);
  std::string h = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>Reconciliation " + H(s.contract) + " " + H(s.period) + "</title>\n<style>\n" + std::string(kCss) + "\n</style>\n</head>\n<body>\n";
  h += "<h1>Reconciliation " + H(s.contract) + " &middot; " + H(s.period) + "</h1>\n";
  h += "<p class=\"muted\">Written by reckon reconcile. Every figure is in reconciliation.json; every claim and unclaimed record is a row of "
       "reconciliation.csv.</p>\n";
  if (s.Agrees()) h += "<div class=\"ok\" id=\"verdict\">The claims agree with Reckon.</div>\n";
  else
    h += "<div class=\"differ\" id=\"verdict\">The claims differ from Reckon: money at stake " + H(s.AtStake().Text()) + " " + H(cur) +
         " (claimed " + H(s.claimed.Text()) + ", Reckon " + H(s.current.Text()) + ").</div>\n";

  h += "<h2>Contract and period</h2>\n<table>\n";
  auto row2 = [&](std::string_view k, std::string_view v, const char* cls = nullptr) {
    h += "<tr><th>" + H(k) + "</th><td" + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + H(v) + "</td></tr>\n";
  };
  row2("Contract", s.contract);
  row2("Version", std::to_string(s.version));
  row2("Vendor", s.vendor);
  row2("Period", s.period);
  row2("Currency", cur);
  row2("Claims file", s.claims_file);
  row2("Claims", std::to_string(s.claims));
  row2("Statement entry", fmt::format("{} {}", s.statement.seq, s.statement.hash), "hash");
  row2("Ledger head", s.head.ToString(), "hash");
  h += "</table>\n";

  h += "<h2>Per fee line</h2>\n<table id=\"lines\">\n<tr><th>Line</th><th>Claimed units</th><th>Claimed (" + H(cur) +
       ")</th><th>Settled units</th><th>Settled (" + H(cur) + ")</th><th>Now units</th><th>Now (" + H(cur) +
       ")</th><th>Difference units</th><th>Difference (" + H(cur) + ")</th></tr>\n";
  for (auto& l : s.lines)
    h += "<tr><td>" + H(l.fee) + "</td>" + Num(l.claimed_units.ToString()) + Num(l.claimed_amount.Text()) + Num(UnitsOf(l.settled_units)) +
         Num(l.settled_amount.Text()) + Num(UnitsOf(l.current_units)) + Num(l.current_amount.Text()) + Num(l.DifferenceUnits().ToString()) +
         Num(l.DifferenceAmount().Text()) + "</tr>\n";
  h += "<tr class=\"total\"><td>Total</td><td></td>" + Num(s.claimed.Text()) + "<td></td>" + Num(s.settled.Text()) + "<td></td>" +
       Num(s.current.Text()) + "<td></td>" + Num(s.AtStake().Text()) + "</tr>\n</table>\n";
  if (s.late)
    h += "<p>Records changed after settlement: &ldquo;Now&rdquo; is the period as the ledger stands; differences are against it.</p>\n";

  h += "<h2>Classifications</h2>\n<table id=\"classes\">\n<tr><th>Classification</th><th>Rows</th><th>Units</th></tr>\n";
  for (size_t c = 0; c < kClassificationCount; ++c) {
    const ClassCount& n = s.classes[c];
    if (n.rows == 0) continue;
    h += "<tr><td>" + H(ClassificationName(Classification(c))) + "</td>" + Num(std::to_string(n.rows)) + Num(n.units.ToString()) + "</tr>\n";
  }
  h += "</table>\n";

  if (!s.adjustments.empty()) {
    h += "<h2>Adjustments posted for " + H(s.period) + " since settlement</h2>\n<table>\n<tr><th>Posted in</th><th>Entry</th><th>Amount (" +
         H(cur) + ")</th><th>Explanation</th></tr>\n";
    for (auto& a : s.adjustments)
      h += "<tr><td>" + H(a.posted_in) + "</td>" + Num(std::to_string(a.seq)) + Num(a.amount) + "<td>" + H(a.explain) + "</td></tr>\n";
    h += "<tr class=\"total\"><td>Total</td><td></td>" + Num(s.adjusted.Text()) + "<td></td></tr>\n</table>\n";
  }

  h += "<h2>Disputed claims and unclaimed records</h2>\n";
  if (disputes.empty()) h += "<p>None.</p>\n";
  else {
    h += "<table id=\"disputes\">\n<tr><th>Source</th><th>Claims line</th><th>Id</th><th>Line</th><th>Units</th><th>Classification</th>"
         "<th>Detail</th></tr>\n";
    for (auto& d : disputes)
      h += "<tr><td>" + H(d.source) + "</td>" + Num(d.claims_line ? std::to_string(d.claims_line) : "") + "<td>" + H(d.id) + "</td><td>" +
           H(d.line) + "</td>" + Num(d.units) + "<td>" + H(d.classification) + "</td><td>" + H(d.detail) + "</td></tr>\n";
    h += "</table>\n";
    if (more > 0) h += "<p>" + std::to_string(more) + " more disputed rows are in reconciliation.csv.</p>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace reckon
