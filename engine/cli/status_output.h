// How `reckon status` prints a LedgerStatus: JSON keys (docs/cli.md,
// "reckon status") and the text for people.
#pragma once

#include "engine/ledger_status.h"

#include <nlohmann/json.hpp>

#include <string>

namespace reckon::cli {

nlohmann::json StatusJson(const LedgerStatus& st);
std::string RenderStatusText(const LedgerStatus& st, const std::string& ledger_path);

}  // namespace reckon::cli
