// Show: a recorded statement and the adjustments later statements posted
// for its period (`reckon show`). The statement itself never changes.
#pragma once

#include "dsl/status.h"
#include "engine/adjustment.h"
#include "ledger/ledger.h"
#include "ledger/payload/statement.h"

#include <string>
#include <vector>

namespace reckon {

struct ShownStatement {
  Statement statement;                  // as recorded, with .ledger set
  std::vector<PostedAdjustment> later;  // posted for its period since, oldest first
};

Result<ShownStatement> ShowPeriod(Ledger& ledger, const std::string& contract, const std::string& period);

// The statement as text, followed by the adjustments posted since.
std::string RenderShownText(const ShownStatement& shown);

}  // namespace reckon
