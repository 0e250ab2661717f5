// Show: a recorded statement and the adjustments later statements posted
// for its period (`reckon show`), and the period as it stands now
// (`reckon show --restated`). Read-only; the statement itself never changes.
#pragma once

#include "dsl/status.h"
#include "engine/adjustment.h"
#include "ledger/ledger.h"
#include "ledger/payload/money.h"
#include "ledger/payload/statement.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <vector>

namespace reckon {

struct ShownStatement {
  Statement statement;                  // as recorded, with .ledger set
  std::vector<PostedAdjustment> later;  // posted for its period since, oldest first
  std::shared_ptr<const Contract> contract;  // its version, for display (null when it cannot be loaded)
};

Result<ShownStatement> ShowPeriod(Ledger& ledger, const std::string& contract, const std::string& period);

// The statement as text, followed by the adjustments posted since.
std::string RenderShownText(const ShownStatement& shown);

// A settled period as it stands now: re-evaluated on every record up to the
// ledger head with its own contract version and history, exactly as the
// next settlement's adjustment would compute it.
//   final_net = settled net + every adjustment posted for it
//   pending   = restated net − final_net (what the next settlement would post)
struct RestatedPeriod {
  Statement restated;                        // the re-evaluation; .ledger = the head it saw
  Statement settled;                         // as recorded, with .ledger set
  std::vector<PostedAdjustment> adjustments; // posted for it since, oldest first
  Money final_net;
  Money pending;
  std::shared_ptr<const Contract> contract;  // the settled version, for display
};

Result<RestatedPeriod> ShowRestated(Ledger& ledger, const std::string& contract, const std::string& period);

std::string RenderRestatedText(const RestatedPeriod& r);
// The restated statement's keys (as `show --json`) plus "settled",
// "adjustments", "final_net" and "pending" (docs/cli.md).
nlohmann::json RestatedJson(const RestatedPeriod& r);

}  // namespace reckon
