// Adjustments for late records and corrections (see adjustment.h).
#include "engine/adjustment.h"

#include "engine/settle.h"
#include "ledger/canonical.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

using json = nlohmann::json;

namespace {

// A money text of a recorded statement or adjustment.
Result<Number> MoneyOf(const json& j, const char* key, int64_t seq) {
  if (!j.contains(key) || !j[key].is_string()) return Status::Integrity(fmt::format("ledger entry {} lacks '{}'; run reckon verify", seq, key));
  auto n = Number::Parse(j[key].get<std::string>());
  if (!n) return Status::Integrity(fmt::format("ledger entry {} has '{}' = '{}', not a number; run reckon verify", seq, key, j[key].dump()));
  return *n;
}

Result<json> PayloadJson(Ledger& ledger, int64_t seq) {
  auto e = ledger.GetEntry(seq);
  if (!e.ok()) return e.status();
  json j = json::parse(e->payload, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return Status::Integrity(fmt::format("ledger entry {} is not a JSON object; run reckon verify", seq));
  return j;
}

}  // namespace

Result<std::vector<PostedAdjustment>> AdjustmentsFor(Ledger& ledger, const std::string& contract, const std::string& period,
                                                     int64_t max_seq) {
  auto rows = ledger.Adjustments(contract);
  if (!rows.ok()) return rows.status();
  std::vector<PostedAdjustment> out;
  for (auto& a : *rows) {
    if (a.period != period || a.seq > max_seq) continue;
    auto j = PayloadJson(ledger, a.seq);
    if (!j.ok()) return j.status();
    auto amount = MoneyOf(*j, "amount", a.seq);
    if (!amount.ok()) return amount.status();
    out.push_back({a.seq, a.posted_in, (*j)["amount"].get<std::string>(), j->value("explain", "")});
  }
  return out;
}

Result<AdjustmentPlan> AdjustmentPlan::Load(Ledger& ledger, const Contract& current) {
  AdjustmentPlan plan;
  auto stmts = ledger.Statements(current.id);
  if (!stmts.ok()) return stmts.status();
  auto adjustments = ledger.Adjustments(current.id);
  if (!adjustments.ok()) return adjustments.status();
  for (auto& s : *stmts) {
    Settled st;
    st.version = s.version;
    if (s.version == current.version) {
      st.contract = &current;
    } else {
      auto& slot = plan.versions_[s.version];
      if (!slot) {
        auto row = ledger.FindContract(current.id, s.version);
        if (!row.ok()) return row.status();
        if (!*row) return Status::Integrity(fmt::format("statement entry {} names contract '{}' version {}, which is not registered; run reckon verify",
                                                        s.seq, current.id, s.version));
        auto k = LoadRegisteredContract(ledger, (*row)->seq);
        if (!k.ok()) return k.status();
        slot = std::move(*k);
      }
      st.contract = slot.get();
    }
    auto p = Period::Parse(s.period, st.contract->period);
    if (!p.ok()) return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind", s.seq, s.period));
    st.period = *p;
    auto j = PayloadJson(ledger, s.seq);
    if (!j.ok()) return j.status();
    st.statement = std::move(*j);
    if (!st.statement.contains("as_of_seq") || !st.statement["as_of_seq"].is_number_integer())
      return Status::Integrity(fmt::format("statement entry {} lacks as_of_seq; run reckon verify", s.seq));
    st.as_of_seq = st.statement["as_of_seq"].get<int64_t>();
    st.earlier_adjustments = Number().ToFixed(st.contract->currency.minor_units, st.contract->rounding);
    plan.settled_.push_back(std::move(st));
  }
  std::sort(plan.settled_.begin(), plan.settled_.end(), [](const Settled& a, const Settled& b) { return a.period < b.period; });
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < plan.settled_.size(); ++i) index[plan.settled_[i].period.Id()] = i;
  for (auto& a : *adjustments) {
    auto it = index.find(a.period);
    if (it == index.end()) return Status::Integrity(fmt::format("adjustment entry {} adjusts {}, which is not settled; run reckon verify", a.seq, a.period));
    Settled& st = plan.settled_[it->second];
    auto j = PayloadJson(ledger, a.seq);
    if (!j.ok()) return j.status();
    auto amount = MoneyOf(*j, "amount", a.seq);
    if (!amount.ok()) return amount.status();
    auto before = Number::Parse(st.earlier_adjustments);
    st.earlier_adjustments = (*before + *amount).ToFixed(st.contract->currency.minor_units, st.contract->rounding);
    if (!j->contains("as_of_seq") || !(*j)["as_of_seq"].is_number_integer())
      return Status::Integrity(fmt::format("adjustment entry {} lacks as_of_seq; run reckon verify", a.seq));
    st.as_of_seq = std::max(st.as_of_seq, (*j)["as_of_seq"].get<int64_t>());
  }
  return plan;
}

std::vector<PriorPeriod> AdjustmentPlan::Prior() const {
  std::vector<PriorPeriod> out;
  for (auto& s : settled_) out.push_back({s.period.Id(), s.statement});
  return out;
}

void AdjustmentPlan::Attach(Ledger& ledger, StatementInput& in, const Period& posted_in) {
  in.watch.clear();
  for (auto& s : settled_) in.watch.push_back({s.period.Id(), BoundsOf(s.period, s.contract->zone), s.as_of_seq});
  int64_t as_of = in.as_of_seq;
  in.adjust = [this, &ledger, as_of, posted_in](const std::vector<LateChanges>& changes) {
    return Reevaluate(ledger, changes, as_of, posted_in);
  };
}

Result<std::vector<AdjustmentLine>> AdjustmentPlan::Reevaluate(Ledger& ledger, const std::vector<LateChanges>& changes, int64_t as_of_seq,
                                                               const Period& posted_in) {
  pending_.clear();
  std::vector<AdjustmentLine> out;
  for (size_t i = 0; i < settled_.size() && i < changes.size(); ++i) {
    if (!changes[i].any()) continue;
    const Settled& s = settled_[i];
    const Contract& k = *s.contract;
    StatementInput in;
    in.contract = &k;
    in.period = s.period;
    in.as_of_seq = as_of_seq;
    for (size_t j = 0; j < i; ++j) in.prior.push_back({settled_[j].period.Id(), settled_[j].statement});
    for (auto& l : s.statement.value("lines", json::array())) {
      if (l.value("kind", "") != "adjustment") continue;
      in.carried.push_back({l.value("period", ""), l.value("amount", ""), l.value("explain", "")});
    }
    auto re = ComputeStatement(ledger, in);
    if (!re.ok()) return re.status();
    auto re_net = MoneyOf((*re)["totals"], "net", 0);
    auto st_net = MoneyOf(s.statement["totals"], "net", 0);
    if (!re_net.ok() || !st_net.ok()) return Status::Integrity(fmt::format("the statement of {} has no net total; run reckon verify", s.period.Id()));
    Number earlier = *Number::Parse(s.earlier_adjustments);
    Number settled = *st_net + earlier;
    Number amount = *re_net - settled;
    int digits = k.currency.minor_units;
    auto money = [&](const Number& n) { return n.ToFixed(digits, k.rounding); };
    std::string already = earlier.is_zero()
                              ? fmt::format("{} settled by its statement", money(settled))
                              : fmt::format("{} already settled (statement {} + adjustments {})", money(settled), money(*st_net), money(earlier));
    std::string explain = fmt::format("{} re-evaluated with contract version {} on the records up to entry {} ({}): net {} − {} = {}",
                                      s.period.Id(), k.version, as_of_seq, changes[i].Text(), money(*re_net), already, money(amount));
    out.push_back({s.period.Id(), money(amount), explain});
    json payload = {{"contract", k.id},
                    {"version", k.version},
                    {"period", s.period.Id()},
                    {"posted_in", posted_in.Id()},
                    {"as_of_seq", as_of_seq},
                    {"changes", {{"late", changes[i].late}, {"corrected", changes[i].corrected}, {"voided", changes[i].voided}}},
                    {"settled_before", money(settled)},
                    {"amount", money(amount)},
                    {"explain", explain},
                    {"statement", std::move(*re)}};
    pending_.push_back({{0, k.id, s.period.Id(), posted_in.Id(), k.version}, std::move(payload)});
  }
  return out;
}

Status AdjustmentPlan::Write(Ledger& ledger) const {
  for (auto& p : pending_) {
    auto h = ledger.PutAdjustment(p.row, CanonicalJson(p.payload));
    if (!h.ok()) return h.status();
  }
  return Status::Ok();
}

}  // namespace reckon
