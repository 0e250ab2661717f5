// Display: how people see a metric or a reported KPI (the contract's
// `display:`). Human output only (text, HTML, reports): JSON and CSV keep the
// exact decimals.
//
// `format: percent` shows the value times 100 with a "%" ("0.645123" ->
// "64.51%" with digits 2); `digits` rounds half-even, exactly, on the decimal
// (never through binary floating point); `unit` follows after a space
// ("21.9 min"). The integer part is grouped in thousands. Without `digits`
// the exact value is shown. An undefined value is "undefined".
#pragma once

#include "dsl/contract.h"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// `exact`: the stored decimal text (nullopt = undefined).
std::string FormatMetricForPeople(const Display& d, const std::optional<std::string>& exact);

// The same with the contract's display of `name` (plain when it has none).
std::string MetricForPeople(const Contract& contract, std::string_view name, const std::optional<std::string>& exact);

// The label people read for `name`: its display label, else the name.
std::string MetricLabel(const Contract& contract, std::string_view name);

// Metric names in the order the contract writes them, then its reported KPIs.
std::vector<std::string> MetricsInContractOrder(const Contract& contract);

}  // namespace reckon
