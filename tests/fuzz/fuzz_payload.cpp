// libFuzzer target: arbitrary bytes as stored payloads (the first byte picks
// the kind: 's' statement, 'a' adjustment, 'k' a key_filters row, anything
// else contract), through
// everything that reads them: the typed readers, then -- for a statement
// that reads -- show's text and JSON, statement.html, and a settlement that
// uses it as history (its window cap and streak read the prior statement).
// Invariants: no crash; a payload that reads re-reads to the same statement
// from its own stored form (StatementJson is the reader's inverse); a key
// filter that reads writes back the same bytes.
#include "dsl/contract.h"
#include "engine/export/html.h"
#include "engine/json_output.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/key_filter.h"
#include "ledger/ledger.h"
#include "ledger/payload/adjustment.h"
#include "ledger/payload/contract_entry.h"
#include "ledger/payload/statement.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <stdlib.h>

namespace {

// A contract whose settlement reads the prior statement: a window cap and a streak.
constexpr const char* kContract = R"(reckon: 1
contract: fuzz
version: 1
vendor: v
currency: USD
period: monthly
effective: {from: 2026-01-01}
metrics:
  tickets: count()
fees:
  - {name: Fee, per: tickets, price: 1}
penalties:
  - {name: Always, when: fees >= 0, amount: 10% * fees}
rewards:
  - {name: Streak, when: tickets >= 0, for_periods: 2, amount: 1}
caps:
  penalties:
    window: {periods: 3, limit: 5% * window.fees}
)";

struct World {
  std::unique_ptr<reckon::Contract> contract;
  std::unique_ptr<reckon::Ledger> ledger;
  World() {
    auto loaded = reckon::LoadContractText("fuzz.yaml", kContract);
    if (!loaded.contract) std::abort();
    contract = std::move(loaded.contract);
    char dir[] = "/tmp/fuzz_payload-XXXXXX";
    if (!mkdtemp(dir)) std::abort();
    auto l = reckon::Ledger::Open(std::string(dir) + "/l.db", reckon::Ledger::Mode::kReadWrite);
    if (!l.ok()) std::abort();
    ledger = std::move(*l);
  }
};

void Statement(const reckon::Statement& st) {
  static World world;
  (void)reckon::RenderStatementText(st);
  (void)reckon::JsonOutputText(reckon::StatementOutputJson(st));
  reckon::StatementPage page{&st, world.contract.get(), {}, 0, 0, {}};
  (void)reckon::StatementHtml(page);
  // Stored form round trip.
  std::string stored = reckon::CanonicalJson(reckon::StatementJson(st));
  auto again = reckon::ReadStatementPayload(stored, 1);
  if (!again.ok() || reckon::CanonicalJson(reckon::StatementJson(*again)) != stored) std::abort();
  // As the history of the next period.
  auto period = reckon::Period::Parse("2026-02", reckon::PeriodKind::kMonthly);
  if (!period.ok()) std::abort();
  reckon::StatementInput in;
  in.contract = world.contract.get();
  in.period = *period;
  in.prior.push_back({"2026-01", st});
  if (!world.ledger->BeginRead().ok()) std::abort();
  (void)reckon::ComputeStatement(*world.ledger, in);
  world.ledger->Rollback();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view payload(reinterpret_cast<const char*>(data + 1), size - 1);
  switch (data[0]) {
    case 's': {
      auto st = reckon::ReadStatementPayload(payload, 1);
      if (st.ok()) Statement(*st);
      break;
    }
    case 'a': {
      auto a = reckon::ReadAdjustmentPayload(payload, 1);
      if (a.ok()) Statement(a->statement);
      break;
    }
    case 'k': {
      reckon::KeyFilter f;
      if (f.Read(payload) && f.Bytes() != payload) std::abort();
      break;
    }
    default: (void)reckon::ReadContractPayload(payload, 1);
  }
  return 0;
}
