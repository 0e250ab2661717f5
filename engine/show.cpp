// Show (see show.h).
#include "engine/show.h"

#include "dsl/period.h"
#include "dsl/suggest.h"
#include "engine/registry.h"
#include "engine/settle.h"
#include "engine/statement.h"
#include "ledger/chain.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

struct ReadGuard {
  Ledger& l;
  ~ReadGuard() { l.Rollback(); }
};

// The recorded statement of `period`; an unknown contract id is refused
// with the closest registered id.
Result<Statement> RecordedStatement(Ledger& ledger, const std::string& contract, const std::string& period) {
  ContractRegistry registry(ledger);
  auto ids = registry.Ids();
  if (!ids.ok()) return ids.status();
  if (!std::binary_search(ids->begin(), ids->end(), contract)) {
    std::string hint = Suggest(contract, *ids);
    return Status::Invalid(fmt::format("no contract '{}' in ledger '{}'{}", contract, ledger.path(),
                                       hint.empty() ? "" : fmt::format(" (did you mean '{}'?)", hint)));
  }
  return ShowStatement(ledger, contract, period);
}

}  // namespace

Result<ShownStatement> ShowPeriod(Ledger& ledger, const std::string& contract, const std::string& period) {
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  ReadGuard guard{ledger};
  auto st = RecordedStatement(ledger, contract, period);
  if (!st.ok()) return st.status();
  auto later = AdjustmentsFor(ledger, contract, period, ledger.head().seq);
  if (!later.ok()) return later.status();
  // The version that settled it gives the order and display of its metrics;
  // a version that cannot be loaded is shown plain (verify reports it).
  std::shared_ptr<const Contract> version;
  ContractRegistry registry(ledger);
  if (auto row = registry.Find(contract, st->version); row.ok() && *row) {
    if (auto loaded = registry.Load(**row); loaded.ok()) version = *loaded;
  }
  return ShownStatement{std::move(*st), std::move(*later), std::move(version)};
}

std::string RenderShownText(const ShownStatement& shown) {
  std::string text = RenderStatementText(shown.statement, shown.contract.get());
  for (auto& a : shown.later)
    text += fmt::format("Adjusted in {} (entry {}): {} {}\n  {}\n", a.posted_in, a.seq, a.amount, shown.statement.currency.code, a.explain);
  return text;
}

Result<RestatedPeriod> ShowRestated(Ledger& ledger, const std::string& contract, const std::string& period) {
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  ReadGuard guard{ledger};
  auto st = RecordedStatement(ledger, contract, period);
  if (!st.ok()) return st.status();
  const int64_t st_seq = st->ledger ? st->ledger->seq : 0;
  ContractRegistry registry(ledger);
  auto row = registry.Find(contract, st->version);
  if (!row.ok()) return row.status();
  if (!*row)
    return Status::Integrity(
        fmt::format("statement entry {} names contract '{}' version {}, which is not registered; run reckon verify", st_seq, contract, st->version));
  auto loaded = registry.Load(**row);
  if (!loaded.ok()) return loaded.status();
  const Contract& c = **loaded;
  if (c.currency.code != st->currency.code)
    return Status::Integrity(fmt::format("statement entry {} is in {}, its contract version in {}; run reckon verify", st_seq,
                                         st->currency.code, c.currency.code));
  auto p = Period::Parse(period, c.period);
  if (!p.ok()) return Status::Integrity(fmt::format("statement entry {} has period '{}' of another kind; run reckon verify", st_seq, period));
  auto prior = StatementsBefore(ledger, contract, *p);
  if (!prior.ok()) return prior.status();
  const Head head = ledger.head();
  StatementInput in = ReevaluationInput(c, *p, *st, std::move(*prior), head.seq);
  auto re = ComputeStatement(ledger, in);
  if (!re.ok()) return re.status();
  re->ledger = LedgerRef{head.seq, ToHex(head.hash)};
  auto adjustments = AdjustmentsFor(ledger, contract, period, head.seq);
  if (!adjustments.ok()) return adjustments.status();
  Money final_net = st->totals.net;
  for (auto& a : *adjustments) {
    auto m = Money::Parse(a.amount, st->currency);
    if (!m.ok()) return Status::Integrity(fmt::format("adjustment entry {}: amount '{}' is not {} money; run reckon verify", a.seq, a.amount,
                                                      st->currency.code));
    final_net += *m;
  }
  Money pending = re->totals.net - final_net;
  return RestatedPeriod{std::move(*re), std::move(*st), std::move(*adjustments), std::move(final_net), std::move(pending), *loaded};
}

std::string RenderRestatedText(const RestatedPeriod& r) {
  const std::string cur(r.settled.currency.code);
  std::string text = fmt::format("Restated: period {} of {} re-evaluated on the records up to entry {} (the ledger head)\n", r.settled.period,
                                 r.settled.contract, r.restated.as_of_seq);
  // The restated figures are no ledger entry: the header names the head they saw.
  Statement figures = r.restated;
  figures.ledger.reset();
  text += RenderStatementText(figures, r.contract.get());
  text += fmt::format("Settled by its statement (entry {}): {} {}\n", r.settled.ledger ? r.settled.ledger->seq : 0,
                      r.settled.totals.net.Text(), cur);
  for (auto& a : r.adjustments) text += fmt::format("Adjusted in {} (entry {}): {} {}\n  {}\n", a.posted_in, a.seq, a.amount, cur, a.explain);
  text += fmt::format("Final net: {} {}\n", r.final_net.Text(), cur);
  text += fmt::format("Pending: {} {} (restated net {} − final net {})", r.pending.Text(), cur, r.restated.totals.net.Text(), r.final_net.Text());
  text += r.pending.amount().is_zero() ? "\n"
                                       : fmt::format(": records changed since the last adjustment; the next settlement of {} posts it\n",
                                                     r.settled.contract);
  return text;
}

nlohmann::json RestatedJson(const RestatedPeriod& r) {
  nlohmann::json j = StatementOutputJson(r.restated);
  nlohmann::json settled = {{"net", r.settled.totals.net.Text()}, {"as_of_seq", r.settled.as_of_seq}};
  if (r.settled.ledger) {
    settled["seq"] = r.settled.ledger->seq;
    settled["hash"] = r.settled.ledger->hash;
  }
  j["settled"] = std::move(settled);
  nlohmann::json adj = nlohmann::json::array();
  for (auto& a : r.adjustments) adj.push_back({{"posted_in", a.posted_in}, {"seq", a.seq}, {"amount", a.amount}, {"explain", a.explain}});
  j["adjustments"] = std::move(adj);
  j["final_net"] = r.final_net.Text();
  j["pending"] = r.pending.Text();
  return j;
}

}  // namespace reckon
