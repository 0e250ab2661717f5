// RejectsWriter: the rejects file beside an input (`x.csv` -> `x.rejects.csv`,
// `x.jsonl` -> `x.rejects.jsonl`) written by `ingest --skip-invalid`.
//
// Each rejected row is written verbatim with its reason: CSV rows get a first
// `reason` column (the header is `reason` and then the input's header, so the
// reason stays in its column even for a row with a wrong field count); JSONL
// objects get a "reason" key first (a line that is not an object is kept as
// {"reason": ..., "raw": "<the line>"}). The file is written to a temporary
// name and renamed only when the ingest commits, so a refused ingest leaves
// no rejects file; no file is created when nothing was rejected. Rows from
// stdin go to `stdin.rejects.<ext>` in the working directory.
#pragma once

#include "dsl/status.h"
#include "engine/row_reader.h"

#include <cstdio>
#include <string>

namespace reckon {

class RejectsWriter {
 public:
  RejectsWriter(const std::string& input, RowFormat format);
  ~RejectsWriter();
  // The input's header row (CSV), written before the first rejected row.
  void SetHeader(std::string header);
  // `row` as the reader left it (raw may hold the bad bytes).
  Status Write(const RawRow& row, const std::string& reason);
  // Renames the temporary file into place; returns its path ("" when nothing
  // was rejected).
  Result<std::string> Finish();
  void Discard();

 private:
  std::string path_, tmp_;
  RowFormat format_;
  std::FILE* f_ = nullptr;
  bool header_written_ = false;
  std::string header_;
};

// Quotes a CSV cell per RFC 4180 when needed.
std::string CsvCell(std::string_view s);

}  // namespace reckon
