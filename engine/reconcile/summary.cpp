// The reconciliation summary: agreement, JSON and text (see summary.h).
#include "engine/reconcile/summary.h"

#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

using json = nlohmann::json;

std::string UnitsText(const std::optional<Number>& n) { return n ? n->ToString() : std::string("undefined"); }
json UnitsJson(const std::optional<Number>& n) { return n ? json(n->ToString()) : json(nullptr); }
std::string Signed(const Money& m) { return m.amount().is_negative() || m.amount().is_zero() ? m.Text() : "+" + m.Text(); }
std::string SignedUnits(const Number& n) { return n.is_negative() || n.is_zero() ? n.ToString() : "+" + n.ToString(); }

json ClassesJson(const std::array<ClassCount, kClassificationCount>& classes) {
  json j = json::object();
  for (size_t c = 0; c < kClassificationCount; ++c)
    j[std::string(ClassificationName(Classification(c)))] = {{"rows", classes[c].rows}, {"units", classes[c].units.ToString()}};
  return j;
}

// Aligned columns: right-aligned, except the first and those listed in `left`.
std::string Table(const std::vector<std::vector<std::string>>& rows, const std::vector<size_t>& left = {}) {
  std::vector<size_t> width;
  for (auto& r : rows)
    for (size_t i = 0; i < r.size(); ++i) {
      if (width.size() <= i) width.push_back(0);
      width[i] = std::max(width[i], r[i].size());
    }
  std::string out;
  for (auto& r : rows) {
    std::string line = "  ";
    for (size_t i = 0; i < r.size(); ++i) {
      std::string pad(width[i] - r[i].size(), ' ');
      bool l = i == 0 || std::find(left.begin(), left.end(), i) != left.end();
      line += (i == 0 ? "" : i > 0 && l ? " " : "  ") + (l ? r[i] + pad : pad + r[i]);
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

}  // namespace

bool ReconcileSummary::Agrees() const {
  for (size_t c = 0; c < kClassificationCount; ++c)
    if (IsDispute(Classification(c)) && classes[c].rows > 0) return false;
  for (auto& l : lines)
    if (!l.DifferenceUnits().is_zero() || !l.DifferenceAmount().amount().is_zero()) return false;
  return true;
}

json SummaryJson(const ReconcileSummary& s) {
  json lines = json::array();
  for (auto& l : s.lines)
    lines.push_back({{"line", l.fee},
                     {"metric", l.metric},
                     {"compared", l.per_record ? "per_record" : "per_line"},
                     {"claimed", {{"units", l.claimed_units.ToString()}, {"amount", l.claimed_amount.Text()}}},
                     {"settled", {{"units", UnitsJson(l.settled_units)}, {"amount", l.settled_amount.Text()}}},
                     {"current", {{"units", UnitsJson(l.current_units)}, {"amount", l.current_amount.Text()}}},
                     {"difference", {{"units", l.DifferenceUnits().ToString()}, {"amount", l.DifferenceAmount().Text()}}},
                     {"classifications", ClassesJson(l.classes)}});
  json adjustments = json::array();
  for (auto& a : s.adjustments) adjustments.push_back({{"posted_in", a.posted_in}, {"seq", a.seq}, {"amount", a.amount}, {"explain", a.explain}});
  return {{"contract", s.contract},
          {"version", s.version},
          {"vendor", s.vendor},
          {"period", s.period},
          {"currency", s.currency.code},
          {"claims_file", s.claims_file},
          {"claims", s.claims},
          {"agree", s.Agrees()},
          {"lines", lines},
          {"totals",
           {{"claimed", s.claimed.Text()}, {"settled", s.settled.Text()}, {"current", s.current.Text()}, {"at_stake", s.AtStake().Text()}}},
          {"classifications", ClassesJson(s.classes)},
          {"adjustments", adjustments},
          {"adjusted", s.adjusted.Text()},
          {"statement", {{"seq", s.statement.seq}, {"hash", s.statement.hash}}},
          {"ledger", {{"seq", s.head.seq}, {"hash", ToHex(s.head.hash)}}}};
}

std::string SummaryText(const ReconcileSummary& s) {
  const std::string cur(s.currency.code);
  std::string out = fmt::format("Reconciliation of {} {} (version {}, vendor {}) with claims {}\n", s.contract, s.period, s.version, s.vendor,
                                s.claims_file);
  out += fmt::format("Statement entry {}; ledger head {}\n\n", s.statement.seq, s.head.ToString());
  std::vector<std::vector<std::string>> rows;
  std::vector<std::string> head = {"Line", "Claimed units", "Claimed " + cur, "Settled units", "Settled " + cur};
  if (s.late) head.insert(head.end(), {"Now units", "Now " + cur});
  head.insert(head.end(), {"Diff units", "Diff " + cur});
  rows.push_back(head);
  for (auto& l : s.lines) {
    std::vector<std::string> r = {l.fee, l.claimed_units.ToString(), l.claimed_amount.Text(), UnitsText(l.settled_units), l.settled_amount.Text()};
    if (s.late) r.insert(r.end(), {UnitsText(l.current_units), l.current_amount.Text()});
    r.insert(r.end(), {SignedUnits(l.DifferenceUnits()), Signed(l.DifferenceAmount())});
    rows.push_back(r);
  }
  std::vector<std::string> total = {"Total", "", s.claimed.Text(), "", s.settled.Text()};
  if (s.late) total.insert(total.end(), {"", s.current.Text()});
  total.insert(total.end(), {"", Signed(s.AtStake())});
  rows.push_back(total);
  out += Table(rows);

  out += fmt::format("\n{} claim{}:\n", s.claims, s.claims == 1 ? "" : "s");
  std::vector<std::vector<std::string>> counts;
  for (size_t c = 0; c < kClassificationCount; ++c) {
    const ClassCount& n = s.classes[c];
    if (n.rows == 0) continue;
    bool records = Classification(c) == Classification::kUnclaimed;
    counts.push_back({std::string(ClassificationName(Classification(c))), std::to_string(n.rows),
                      std::string(records ? (n.rows == 1 ? "record," : "records,") : (n.rows == 1 ? "claim," : "claims,")),
                      n.units.ToString(), n.units == Number::FromInt(1) ? "unit" : "units"});
  }
  if (counts.empty()) out += "  none\n";
  else {
    out += Table(counts, {2, 4});
  }
  if (!s.adjustments.empty()) {
    out += fmt::format("\nAdjustments posted for {} since it was settled: {} {}\n", s.period, s.adjusted.Text(), cur);
    for (auto& a : s.adjustments) out += fmt::format("  in {} (entry {}): {} {}: {}\n", a.posted_in, a.seq, a.amount, cur, a.explain);
  }
  if (s.late)
    out += fmt::format("\nRecords changed since settlement: the period comes to {} {} now (settled {} {}); differences are against now.\n",
                       s.current.Text(), cur, s.settled.Text(), cur);
  if (s.Agrees()) out += "\nResult: the claims agree with Reckon.\n";
  else
    out += fmt::format("\nResult: the claims differ from Reckon; money at stake {} {} (claimed {}, Reckon {}).\n", Signed(s.AtStake()), cur,
                       s.claimed.Text(), s.current.Text());
  return out;
}

}  // namespace reckon
