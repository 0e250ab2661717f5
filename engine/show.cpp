// Show (see show.h).
#include "engine/show.h"

#include "engine/settle.h"
#include "engine/statement.h"

#include <fmt/format.h>

namespace reckon {

Result<ShownStatement> ShowPeriod(Ledger& ledger, const std::string& contract, const std::string& period) {
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{ledger};
  auto st = ShowStatement(ledger, contract, period);
  if (!st.ok()) return st.status();
  auto later = AdjustmentsFor(ledger, contract, period, ledger.head().seq);
  if (!later.ok()) return later.status();
  return ShownStatement{std::move(*st), std::move(*later)};
}

std::string RenderShownText(const ShownStatement& shown) {
  std::string text = RenderStatementText(shown.statement);
  for (auto& a : shown.later)
    text += fmt::format("Adjusted in {} (entry {}): {} {}\n  {}\n", a.posted_in, a.seq, a.amount, shown.statement.currency.code, a.explain);
  return text;
}

}  // namespace reckon
