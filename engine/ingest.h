// Ingest: appends outcome records from CSV / JSONL files to the ledger.
//
// Invariants (docs/records.md):
//  * Atomic per invocation: every file is read in one write transaction; if
//    any row is invalid (and --skip-invalid is off) the transaction is rolled
//    back and nothing is written.
//  * Every row is accounted for: rows = accepted + duplicates + rejected.
//  * Streaming: rows are read, validated, hashed and inserted one at a time;
//    memory does not grow with the file (a 4-byte line number per accepted
//    row is kept so that a conflict can name the other row's place).
//  * A (vendor, id, revision) already stored with the same content is a
//    duplicate (skipped, counted); with different content, a conflict (error
//    naming both places).
//  * A record whose period is already settled for a registered contract of
//    its vendor is counted as late.
//  * Accepted records of a vendor that no registered contract has are
//    stored and reported (IngestSummary::uncovered); with --contract, rows
//    of another vendor than the contract's refuse the run.
//  * With --skip-invalid the run is still refused (nothing written, no
//    rejects file kept) when every row was rejected, or more rows than
//    --max-rejects.
//  * A column every row needs that a CSV header (or every row of a JSONL
//    file) lacks is one problem of that file, not one error per row
//    (engine/needed_columns.h).
//  * Never a failure after the commit: rejects files are written, synced and
//    put in place before it (and removed again if the commit fails).
#pragma once

#include "dsl/contract.h"
#include "dsl/status.h"
#include "dsl/timestamp.h"
#include "engine/mapping.h"
#include "engine/row_reader.h"
#include "ledger/ledger.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxReportedErrors = 100;

struct IngestOptions {
  std::vector<std::string> files;        // "-" = stdin (needs format)
  std::optional<RowFormat> format;       // default: by extension
  std::optional<std::string> vendor;
  std::optional<std::string> timezone;
  std::optional<std::string> contract_path;  // a contract file or registered id: typed fields, its vendor only
  std::optional<std::string> map_path;       // column mapping (engine/mapping.h)
  bool skip_invalid = false;
  std::optional<int64_t> max_rejects;        // with skip_invalid: refuse more rejected rows than this
};

// Accepted records of a vendor that no registered contract has.
struct UncoveredVendor {
  std::string vendor;
  int64_t records = 0;
  std::string suggestion;  // a registered vendor it may mean ("" when none is close)
};

struct IngestSummary {
  int64_t rows = 0;
  int64_t accepted = 0;
  int64_t duplicates = 0;
  int64_t rejected = 0;
  int64_t late = 0;
  Head head;
  std::vector<std::string> errors;   // "file:line: reason", first kMaxReportedErrors
  int64_t error_count = 0;
  std::vector<std::string> rejects_files;  // written with --skip-invalid
  std::vector<UncoveredVendor> uncovered;  // by vendor; empty when every accepted record is covered
};

// The registered vendor that `vendor` most likely means: one that differs
// from it only in case (Unicode case folding), else the closest one by edit
// distance with case ignored (dsl/suggest.h); "" when none is close.
std::string SuggestVendor(const std::string& vendor, const std::vector<std::string>& registered);

// The inputs of one ingest, loaded and checked before the ledger is opened:
// a bad option, contract, mapping or input file (or two inputs sharing one
// rejects file) refuses the run before any ledger file is created.
struct IngestInputs {
  IngestOptions opt;
  std::optional<Zone> zone;
  // --contract: a file is loaded here and registered in the ingest's
  // transaction; a registered id is resolved there (its newest version).
  std::shared_ptr<const Contract> contract;
  std::optional<std::string> contract_id;
  std::optional<Mapping> mapping;
  std::vector<std::unique_ptr<RowReader>> readers;
  std::vector<RowFormat> formats;  // of each input
  ~IngestInputs();
};

// Loads and checks everything but the ledger. On failure summary.errors lists
// the problems of a contract or mapping file.
Result<std::unique_ptr<IngestInputs>> PrepareIngest(const IngestOptions& opt, IngestSummary& summary);

// Runs the ingest. On invalid input without skip_invalid the Status is
// kInvalidInput and summary.errors lists the problems; nothing is written.
// The inputs are consumed (their readers are read to the end).
Status Ingest(Ledger& ledger, IngestInputs& inputs, IngestSummary& summary,
              const std::function<void(int64_t rows)>& progress = nullptr);
// PrepareIngest and Ingest together.
Status Ingest(Ledger& ledger, const IngestOptions& opt, IngestSummary& summary,
              const std::function<void(int64_t rows)>& progress = nullptr);

}  // namespace reckon
