// reconciliation.json rows (see writers.h).
#include "engine/reconcile/writers.h"

#include "ledger/canonical.h"

namespace reckon {

std::string ReconcileRowJson(const ReconcileRow& r) {
  // Written by hand (one row per claim: a million rows must not each build a
  // json object); the same members as the CSV, in key order.
  std::string j = "{\"claimed_revision\":";
  auto str = [&](std::string_view v) {
    if (v.empty()) j += "null";
    else AppendJsonString(j, v);
  };
  str(r.claimed_revision);
  j += ",\"claimed_units\":";
  str(r.claimed_units);
  j += ",\"claims_line\":";
  j += r.unclaimed ? std::string("null") : std::to_string(r.claims_line);
  j += ",\"classification\":";
  AppendJsonString(j, ClassificationName(r.classification));
  j += ",\"detail\":";
  AppendJsonString(j, r.detail);
  j += ",\"id\":";
  AppendJsonString(j, r.id);
  j += ",\"line\":";
  AppendJsonString(j, r.fee);
  j += ",\"record_revision\":";
  j += r.record_revision ? std::to_string(*r.record_revision) : std::string("null");
  j += ",\"record_seq\":";
  j += r.record_seq ? std::to_string(r.record_seq) : std::string("null");
  j += ",\"record_units\":";
  str(r.record_units);
  j += ",\"source\":";
  j += r.unclaimed ? "\"ledger\"}" : "\"claim\"}";
  return j;
}

}  // namespace reckon
