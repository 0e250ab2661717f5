// How `reckon close` prints its report for people: one line per contract
// (contract, vendor, currency, net, status) and a net per currency.
#pragma once

#include "engine/close.h"

#include <string>

namespace reckon::cli {

std::string RenderCloseText(const CloseReport& r);

}  // namespace reckon::cli
