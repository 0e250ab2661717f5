// Claims: the vendor's claimed billable outcomes (docs/reconcile.md,
// "Claims"), read from CSV or JSONL (by extension) with the record readers,
// optionally through a column mapping (`--map`, the ingest mapping language).
//
// One row per claim: `id` (required), `revision` (optional whole number),
// `line` (a fee with `per`; default the contract's first one), `units`
// (default 1; a positive exact decimal). Other columns are ignored.
//
// ClaimReader validates each row and names the problem at file:line:col;
// it holds one row at a time. ClaimIndex is the one set reconcile keeps in
// memory: each distinct (line, id) claimed, with what the period's record
// pass decided for it.
#pragma once

#include "dsl/contract.h"
#include "dsl/number.h"
#include "dsl/status.h"
#include "engine/mapping.h"
#include "engine/reconcile/classification.h"
#include "engine/row_reader.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxClaimErrors = 20;  // bad rows reported before the rest are only counted

struct Claim {
  int64_t line = 0;                  // in the claims file
  std::string id;
  std::string revision;              // as written ("" = absent)
  int fee = -1;                      // index in Contract::fees
  bool one = true;                   // units is exactly 1 (no rational arithmetic needed)
  Number units;                      // when !one
  std::string units_text;            // canonical text of units
};

class ClaimReader {
 public:
  // Opens the claims file (format by extension) and the mapping, if any.
  static Result<std::unique_ptr<ClaimReader>> Open(const std::string& path, const Mapping* mapping, const Contract& contract);

  // The next claim: true, false at the end, or a kInvalidInput Status with
  // file:line:col for a bad row (continue while recoverable()).
  Result<bool> Next(Claim& claim);
  bool recoverable() const { return !fatal_ && reader_->recoverable(); }
  // The last error concerns the whole file (no id column), not one row.
  bool fatal() const { return fatal_; }
  const std::string& path() const { return path_; }

 private:
  ClaimReader(std::string path, std::unique_ptr<RowReader> reader, const Mapping* mapping, const Contract& contract, RowFormat format);
  Status RowError(const RawRow& row, std::string_view column, std::string message) const;

  std::string path_;
  std::unique_ptr<RowReader> reader_;
  const Mapping* mapping_;
  const Contract& contract_;
  RowFormat format_;
  int default_fee_ = -1;
  bool fatal_ = false;
  std::vector<std::string> fee_names_;  // per fees, for "did you mean"
  RawRow raw_, mapped_;
};

// What the record pass decided for a claimed (line, id).
struct ClaimOutcome {
  static constexpr uint8_t kNotSeen = 0xff;  // no effective record of the period has the id
  uint8_t classification = kNotSeen;         // a Classification once seen
  bool emitted = false;                      // its first claim row was written
  uint16_t detail = 0;                       // excluded: index of the where condition
  int64_t seq = 0, revision = 0;             // the record's effective revision
  int64_t first_line = 0;                    // claims-file line of the first claim (once emitted)
  uint32_t units = 0;                        // agreed under a sum fee: 1 + index into ClaimIndex::units
};

class ClaimIndex {
 public:
  void Add(int fee, std::string_view id);
  void Seal();  // sorts and merges repeated keys; call before Find
  ClaimOutcome* Find(int fee, std::string_view id);
  size_t size() const { return slots_.size(); }

  std::vector<std::string> units;  // record units of sum fees, text

 private:
  struct Slot {
    uint64_t off = 0;
    uint32_t len = 0;
    int32_t fee = 0;
    ClaimOutcome out;
  };
  std::string_view Key(const Slot& s) const { return std::string_view(arena_).substr(s.off, s.len); }
  std::string arena_;
  std::vector<Slot> slots_;
};

}  // namespace reckon
