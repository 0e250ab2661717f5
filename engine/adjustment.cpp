// Adjustments for late records and corrections (see adjustment.h).
#include "engine/adjustment.h"

#include "ledger/canonical.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

Result<std::vector<PostedAdjustment>> AdjustmentsFor(Ledger& ledger, const std::string& contract, const std::string& period,
                                                     int64_t max_seq) {
  auto rows = ledger.Adjustments(contract);
  if (!rows.ok()) return rows.status();
  std::vector<PostedAdjustment> out;
  for (auto& a : *rows) {
    if (a.period != period || a.seq > max_seq) continue;
    auto e = ledger.GetEntry(a.seq);
    if (!e.ok()) return e.status();
    auto entry = ReadAdjustmentPayload(e->payload, a.seq);
    if (!entry.ok()) return entry.status();
    out.push_back({a.seq, a.posted_in, entry->amount.Text(), entry->explain});
  }
  return out;
}

StatementInput ReevaluationInput(const Contract& contract, const Period& period, const Statement& recorded,
                                 std::vector<PriorPeriod> prior, int64_t as_of_seq) {
  StatementInput in;
  in.contract = &contract;
  in.period = period;
  in.as_of_seq = as_of_seq;
  in.prior = std::move(prior);
  for (auto& l : recorded.lines) {
    if (l.kind != LineKind::kAdjustment) continue;
    in.carried.push_back({l.period, l.amount.Text(), l.explain});
  }
  return in;
}

Result<std::vector<PriorPeriod>> StatementsBefore(Ledger& ledger, const std::string& contract, const Period& period) {
  auto rows = ledger.Statements(contract);
  if (!rows.ok()) return rows.status();
  std::vector<std::pair<Period, int64_t>> before;
  for (auto& s : *rows) {
    auto p = Period::Parse(s.period, period.kind());
    if (!p.ok()) return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind", s.seq, s.period));
    if (*p < period) before.push_back({*p, s.seq});
  }
  std::sort(before.begin(), before.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<PriorPeriod> out;
  for (auto& [p, seq] : before) {
    auto e = ledger.GetEntry(seq);
    if (!e.ok()) return e.status();
    auto st = ReadStatementPayload(e->payload, seq);
    if (!st.ok()) return st.status();
    out.push_back({p.Id(), std::move(*st)});
  }
  return out;
}

Result<AdjustmentPlan> AdjustmentPlan::Load(Ledger& ledger, ContractRegistry& registry, const Contract& current) {
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
        auto row = registry.Find(current.id, s.version);
        if (!row.ok()) return row.status();
        if (!*row) return Status::Integrity(fmt::format("statement entry {} names contract '{}' version {}, which is not registered; run reckon verify",
                                                        s.seq, current.id, s.version));
        auto contract = registry.Load(**row);
        if (!contract.ok()) return contract.status();
        slot = *contract;
      }
      st.contract = slot.get();
    }
    auto p = Period::Parse(s.period, st.contract->period);
    if (!p.ok()) return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind", s.seq, s.period));
    st.period = *p;
    auto e = ledger.GetEntry(s.seq);
    if (!e.ok()) return e.status();
    auto recorded = ReadStatementPayload(e->payload, s.seq);
    if (!recorded.ok()) return recorded.status();
    st.statement = std::move(*recorded);
    if (st.statement.currency.code != st.contract->currency.code)
      return Status::Integrity(fmt::format("statement entry {} is in {}, its contract version in {}; run reckon verify", s.seq,
                                           st.statement.currency.code, st.contract->currency.code));
    st.as_of_seq = st.statement.as_of_seq;
    st.earlier_adjustments = Money::Zero(st.contract->currency);
    plan.settled_.push_back(std::move(st));
  }
  std::sort(plan.settled_.begin(), plan.settled_.end(), [](const Settled& a, const Settled& b) { return a.period < b.period; });
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < plan.settled_.size(); ++i) index[plan.settled_[i].period.Id()] = i;
  for (auto& a : *adjustments) {
    auto it = index.find(a.period);
    if (it == index.end()) return Status::Integrity(fmt::format("adjustment entry {} adjusts {}, which is not settled; run reckon verify", a.seq, a.period));
    Settled& st = plan.settled_[it->second];
    auto e = ledger.GetEntry(a.seq);
    if (!e.ok()) return e.status();
    auto entry = ReadAdjustmentPayload(e->payload, a.seq);
    if (!entry.ok()) return entry.status();
    if (entry->amount.currency().code != st.contract->currency.code)
      return Status::Integrity(fmt::format("adjustment entry {} is in {}, its contract version in {}; run reckon verify", a.seq,
                                           entry->amount.currency().code, st.contract->currency.code));
    st.earlier_adjustments += entry->amount;
    st.as_of_seq = std::max(st.as_of_seq, entry->as_of_seq);
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
    const Contract& contract = *s.contract;
    std::vector<PriorPeriod> prior;
    for (size_t j = 0; j < i; ++j) prior.push_back({settled_[j].period.Id(), settled_[j].statement});
    StatementInput in = ReevaluationInput(contract, s.period, s.statement, std::move(prior), as_of_seq);
    auto re = ComputeStatement(ledger, in);
    if (!re.ok()) return re.status();
    const Money& re_net = re->totals.net;
    const Money& st_net = s.statement.totals.net;
    const Money& earlier = s.earlier_adjustments;
    Money settled = st_net + earlier;
    Money amount = re_net - settled;
    std::string already = earlier.amount().is_zero()
                              ? fmt::format("{} settled by its statement", settled.Text())
                              : fmt::format("{} already settled (statement {} + adjustments {})", settled.Text(), st_net.Text(), earlier.Text());
    std::string explain = fmt::format("{} re-evaluated with contract version {} on the records up to entry {} ({}): net {} − {} = {}",
                                      s.period.Id(), contract.version, as_of_seq, changes[i].Text(), re_net.Text(), already, amount.Text());
    out.push_back({s.period.Id(), amount.Text(), explain});
    AdjustmentEntry entry{contract.id,   contract.version, s.period.Id(), posted_in.Id(), as_of_seq,
                          {changes[i].late, changes[i].corrected, changes[i].voided},
                          settled, amount, explain, std::move(*re)};
    pending_.push_back({{0, contract.id, s.period.Id(), posted_in.Id(), contract.version}, std::move(entry)});
  }
  return out;
}

Status AdjustmentPlan::Write(Ledger& ledger) const {
  for (auto& p : pending_) {
    auto h = ledger.PutAdjustment(p.row, CanonicalJson(AdjustmentJson(p.entry)));
    if (!h.ok()) return h.status();
  }
  return Status::Ok();
}

}  // namespace reckon
