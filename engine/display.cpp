// Display of metrics for people (see display.h).
#include "engine/display.h"

#include "dsl/number.h"
#include "engine/human_number.h"

namespace reckon {

std::string FormatMetricForPeople(const Display& d, const std::optional<std::string>& exact) {
  if (!exact) return "undefined";
  auto n = Number::Parse(*exact);
  if (!n) return *exact;  // not a decimal: shown as stored
  Number v = d.format == DisplayFormat::kPercent ? *n * Number::FromInt(100) : *n;
  std::string text;
  if (d.digits) text = v.ToFixed(*d.digits, RoundingMode::kHalfEven);
  else text = d.format == DisplayFormat::kPercent ? v.ToString() : *exact;
  text = GroupThousands(text);
  if (d.format == DisplayFormat::kPercent) text += "%";
  if (!d.unit.empty()) text += " " + d.unit;
  return text;
}

std::string MetricForPeople(const Contract& contract, std::string_view name, const std::optional<std::string>& exact) {
  auto it = contract.display.find(std::string(name));
  return FormatMetricForPeople(it == contract.display.end() ? Display{} : it->second, exact);
}

std::string MetricLabel(const Contract& contract, std::string_view name) {
  auto it = contract.display.find(std::string(name));
  if (it == contract.display.end() || it->second.label.empty()) return std::string(name);
  return it->second.label;
}

std::vector<std::string> MetricsInContractOrder(const Contract& contract) {
  std::vector<std::string> out = contract.metric_order;
  for (auto& r : contract.reported) out.push_back(r.name);
  return out;
}

}  // namespace reckon
