// reconciliation.json rows (see writers.h).
#include "engine/reconcile/writers.h"

#include "engine/json_output.h"

#include <nlohmann/json.hpp>

namespace reckon {

std::string ReconcileRowJson(const ReconcileRow& r) {
  using json = nlohmann::json;
  auto opt = [](std::string_view s) { return s.empty() ? json(nullptr) : json(std::string(s)); };
  json j = {{"source", r.unclaimed ? "ledger" : "claim"},
            {"claims_line", r.unclaimed ? json(nullptr) : json(r.claims_line)},
            {"id", std::string(r.id)},
            {"claimed_revision", opt(r.claimed_revision)},
            {"line", std::string(r.fee)},
            {"claimed_units", opt(r.claimed_units)},
            {"classification", std::string(ClassificationName(r.classification))},
            {"detail", r.detail},
            {"record_seq", r.record_seq ? json(r.record_seq) : json(nullptr)},
            {"record_revision", r.record_revision ? json(*r.record_revision) : json(nullptr)},
            {"record_units", opt(r.record_units)}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);  // never fails on bytes
}

}  // namespace reckon
