// RejectsWriter: the rejects file beside an input (`x.csv` -> `x.rejects.csv`,
// `x.jsonl` -> `x.rejects.jsonl`) written by `ingest --skip-invalid`.
//
// Each rejected row is written verbatim with its reason: CSV rows get a first
// `reason` column (the header is `reason` and then the input's header, so the
// reason stays in its column even for a row with a wrong field count); JSONL
// objects get a "reason" key first. A line that is not an object, and an
// object that has a "reason" key of its own, is kept whole as
// {"reason": ..., "raw": "<the line>"}, so neither reason is lost.
//
// Invariants: rejects paths are unique per ingest (RejectsPathCollision refuses
// two inputs with one rejects path before anything is written). The file is
// created on the first rejected row as a new temporary file beside the target
// (O_CREAT|O_EXCL|O_NOFOLLOW under a random name, so a planted file or
// symlink is never followed),
// then written, fsynced and renamed into place by Place() BEFORE the ledger
// commits; if the commit then fails, Unplace() removes it. A refused ingest
// leaves no rejects file and no temporary file; nothing is created when
// nothing was rejected. Rows from stdin go to `stdin.rejects.<ext>` in the
// working directory.
#pragma once

#include "dsl/status.h"
#include "engine/row_reader.h"

#include <cstdio>
#include <optional>
#include <string>
#include <vector>

namespace reckon {

// The rejects path of an input ("-" is stdin).
std::string RejectsPath(const std::string& input, RowFormat format);

// Two inputs whose rejects files would be the same file (the same input twice,
// `x.csv` and `x.CSV`, `./x.csv` and `x.csv`): a usage error naming both, or
// nullopt. `paths` are RejectsPath results, `inputs` the input names.
std::optional<Status> RejectsPathCollision(const std::vector<std::string>& inputs, const std::vector<std::string>& paths);

class RejectsWriter {
 public:
  RejectsWriter(const std::string& input, RowFormat format);
  ~RejectsWriter();
  RejectsWriter(const RejectsWriter&) = delete;
  RejectsWriter& operator=(const RejectsWriter&) = delete;
  // The input's header row (CSV), written before the first rejected row.
  void SetHeader(std::string header);
  // `row` as the reader left it (raw may hold the bad bytes).
  Status Write(const RawRow& row, const std::string& reason);
  // Flushes, fsyncs and renames the temporary file into place (nothing to do
  // when nothing was rejected). On failure the temporary file is removed.
  Status Place();
  // After Place(): removes the placed file again (the commit failed).
  void Unplace();
  // The placed path ("" when nothing was rejected or not placed).
  std::string placed() const { return placed_ ? path_ : std::string(); }
  // Removes the temporary file (the ingest was refused).
  void Discard();

 private:
  std::string path_, tmp_;
  RowFormat format_;
  std::FILE* f_ = nullptr;
  bool header_written_ = false;
  bool placed_ = false;
  std::string header_;
};


}  // namespace reckon
