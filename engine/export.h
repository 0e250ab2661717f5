// Export: the audit bundle of one settled period (docs/export.md).
//
// ExportBundle verifies the whole chain, re-runs the period's evaluation with
// the contract version and ledger state that settled it (collecting every
// effective record's decision), checks that it reproduces the recorded
// statement, and writes statement.json, statement.csv, records.csv,
// contract.yaml, proof.json, statement.html and MANIFEST.sha256 (plus
// MANIFEST.sha256.sig with a signing key).
//
// Invariants:
//  * All or nothing: the files are written into a fresh temporary directory
//    beside `out_dir` and renamed onto it at the end; on any error the
//    temporary directory is removed and `out_dir` is untouched. An existing
//    non-empty `out_dir` is refused (kInvalidInput) before anything is read.
//  * The chain is verified first; a failure is kIntegrity and nothing is
//    written. A re-evaluation that does not reproduce the recorded statement
//    is kIntegrity too.
//  * Read-only: the ledger is never written.
//  * Deterministic: the same ledger gives byte-identical files (no clock, no
//    host names, no paths inside the bundle).
//  * Memory is bounded by a few bytes per record of the period (seq, reason
//    and id) plus one row per record behind the statement's adjustment
//    lines; records.csv and proof.json are streamed.
//  * The records behind each adjustment line are the ones the settlement
//    counted in its explanation (same classification, same pass), each with
//    its decision in the adjusted period's re-evaluation, which must
//    reproduce the adjustment entry's recorded one (else kIntegrity).
#pragma once

#include "dsl/status.h"
#include "ledger/ledger.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// The bundle's file names, in manifest (byte) order.
inline constexpr const char* kExportFiles[] = {"contract.yaml", "proof.json", "records.csv",
                                               "statement.csv", "statement.html", "statement.json"};
inline constexpr const char* kUtf8Bom = "\xEF\xBB\xBF";
inline constexpr const char* kManifestFile = "MANIFEST.sha256";
inline constexpr const char* kSignatureFile = "MANIFEST.sha256.sig";

struct ExportOptions {
  std::string contract;   // contract id
  std::string period;     // period id as settled ("2026-10")
  std::string out_dir;
  std::string sign_key;   // path of a PEM Ed25519 private key; empty = unsigned
  bool excel = false;     // statement.csv starts with a UTF-8 byte order mark (for spreadsheets)
  // Verification progress (entries done, total); optional.
  std::function<void(int64_t, int64_t)> progress;
};

struct ExportSummary {
  std::string out_dir;
  std::vector<std::string> files;   // every file written, in manifest order (manifest and signature last)
  Head head;                        // the verified head: the bundle's anchor
  int64_t entries = 0;              // entries verified
  int64_t statement_seq = 0;
  Hash statement_hash{};
  int64_t records = 0;              // rows of records.csv for the period's own records
  int64_t late_records = 0;         // rows of records.csv behind the statement's adjustment lines
  int64_t counted = 0;
  int64_t excluded = 0;             // including voided
  std::string manifest_sha256;      // hex
  bool signed_ = false;
};

Result<ExportSummary> ExportBundle(Ledger& ledger, const ExportOptions& opt);

}  // namespace reckon
