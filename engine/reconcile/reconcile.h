// Reconcile: compares the vendor's claims for a settled period with what
// Reckon settled, record by record (`reckon reconcile`, docs/reconcile.md).
//
// Reads the ledger only, in one read snapshot; writes nothing to it. The
// claims are read twice (streaming): once to validate every row and build
// the set of claimed (line, id) keys -- the only thing held per claim --
// and once, after the single pass over the period's records, to classify
// each claim in file order. Unclaimed billable records are found during the
// record pass and, when rows are wanted, spilled to an anonymous temporary
// file and reported after the claims, so memory stays flat in the number of
// records.
//
// Errors: kInvalidInput (bad claims, mapping; every bad row in `details`),
// kState (the period is not settled), kIntegrity and ledger errors as they
// come. Differences are not errors: the summary says whether claims agree.
#pragma once

#include "dsl/contract.h"
#include "dsl/period.h"
#include "engine/reconcile/classification.h"
#include "engine/reconcile/summary.h"
#include "ledger/ledger.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

struct ReconcileOptions {
  std::string claims_path;
  std::string map_path;  // "" = no mapping
};

// One row of the dispute file: a claim (in claims-file order), or a
// billable record of the period that no claim names.
struct ReconcileRow {
  bool unclaimed = false;
  int64_t claims_line = 0;           // line in the claims file (0 for unclaimed)
  std::string_view id;
  std::string_view claimed_revision; // "" when absent
  std::string_view fee;
  std::string_view claimed_units;    // "" for unclaimed
  Classification classification = Classification::kAgreed;
  std::string detail;                // the condition, period, or revision note
  int64_t record_seq = 0;            // the record's effective revision entry (0: none)
  std::optional<int64_t> record_revision;
  std::string_view record_units;     // units Reckon bills for the record ("" when not billable)
};

using ReconcileRowSink = std::function<Status(const ReconcileRow&)>;

// `contract` is the version in force for `period`. `rows` (optional) gets
// every row; `details` gets one "file:line:col: message" per bad claim row.
Result<ReconcileSummary> Reconcile(Ledger& ledger, const Contract& contract, const Period& period, const ReconcileOptions& opt,
                                   const ReconcileRowSink& rows, std::vector<std::string>& details);

}  // namespace reckon
