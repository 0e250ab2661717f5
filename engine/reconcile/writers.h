// The reconciliation files (`reckon reconcile --out DIR`,
// docs/reconcile.md, "Files"):
//  * reconciliation.csv  -- one row per claim (file order), then one per
//    unclaimed billable record; formula-safe cells (SpreadsheetCsvCell).
//  * reconciliation.json -- the same rows and the summary, one object.
//  * reconciliation.html -- the summary and the disputed rows (at most
//    kMaxHtmlRows) for people: self-contained, no scripts, every value escaped.
// ReconciliationFiles stages them in a temporary directory beside DIR
// (engine/export/staged_files.h) and renames it into place last, so DIR holds
// all three files or does not exist.
#pragma once

#include "engine/export/staged_files.h"
#include "engine/reconcile/reconcile.h"
#include "engine/reconcile/summary.h"

#include <memory>
#include <string>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxHtmlRows = 1000;  // disputed rows listed in reconciliation.html

// reconciliation.csv
std::string ReconcileCsvHeader();
std::string ReconcileCsvRow(const ReconcileSummary& s, const ReconcileRow& row);

// reconciliation.json: one row object.
std::string ReconcileRowJson(const ReconcileRow& row);

// A disputed row as the HTML lists it (the rows are gone once written).
struct HtmlRow {
  std::string source, id, line, units, classification, detail;
  int64_t claims_line = 0;
};
std::string ReconciliationHtml(const ReconcileSummary& s, const std::vector<HtmlRow>& disputes, int64_t more);

class ReconciliationFiles {
 public:
  ReconciliationFiles() = default;
  ~ReconciliationFiles();
  // Checks DIR (new, or an empty directory) and opens the staged files.
  Status Open(const std::string& out_dir);
  // Call with contract and period known, before the first Row.
  void Begin(const std::string& contract, const std::string& period);
  Status Row(const ReconcileRow& row);
  // Writes the summary, closes and renames the directory into place.
  // Returns the file names written.
  Result<std::vector<std::string>> Finish(const ReconcileSummary& s);
  const std::string& out_dir() const { return out_dir_; }

 private:
  std::string out_dir_;
  std::filesystem::path target_;
  StagingDir staging_;
  std::unique_ptr<OutFile> csv_, json_;
  ReconcileSummary context_;  // contract and period for the CSV columns
  int64_t rows_ = 0;
  std::vector<HtmlRow> disputes_;
  int64_t more_ = 0;
};

}  // namespace reckon
