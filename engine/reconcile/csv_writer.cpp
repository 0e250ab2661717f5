// reconciliation.csv (see writers.h): formula-safe cells.
#include "engine/reconcile/writers.h"

#include "engine/csv_cell.h"

namespace reckon {

std::string ReconcileCsvHeader() {
  return "contract,period,source,claims_line,id,claimed_revision,line,claimed_units,classification,detail,record_seq,record_revision,"
         "record_units\n";
}

std::string ReconcileCsvRow(const ReconcileSummary& s, const ReconcileRow& r) {
  std::string claims_line = r.unclaimed ? "" : std::to_string(r.claims_line);
  std::string seq = r.record_seq ? std::to_string(r.record_seq) : "";
  std::string revision = r.record_revision ? std::to_string(*r.record_revision) : "";
  return SpreadsheetCsvRow({s.contract, s.period, r.unclaimed ? "ledger" : "claim", claims_line, r.id, r.claimed_revision, r.fee, r.claimed_units,
                            ClassificationName(r.classification), r.detail, seq, revision, r.record_units});
}

}  // namespace reckon
