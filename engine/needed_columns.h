// NeededColumn: the columns every row of an input needs, checked once per
// input file rather than once per row (docs/records.md, "Columns every row
// needs").
//
// Without a mapping every row needs `id`, `occurred_at` and, unless --vendor
// is given, `vendor`. With a mapping every row needs each column the mapping
// reads, and each of those core names that the mapping does not set itself.
//
// A CSV file is checked at its header (CheckHeader), before any row: a
// missing column, or a column that would pass through under a name the
// mapping sets, is one problem of the file, and its rows are not read. A
// JSONL file has no header, so ColumnPresence counts row by row which needed
// keys a row lacks: a key that no row of the file has is one problem of the
// file (at its first row), as is the first key that collides with a mapped
// name. Either way the file's own row errors would repeat the problem, so
// the caller reports the file's problems instead of them.
#pragma once

#include "dsl/status.h"
#include "engine/mapping.h"
#include "engine/record.h"
#include "engine/row_reader.h"

#include <string>
#include <vector>

namespace reckon {

struct NeededColumn {
  std::string column;                  // the CSV column / JSONL key
  const MappingSpec* spec = nullptr;   // the mapping spec that reads it; nullptr: a core field
};

// The needed columns, in the order row errors would report them.
std::vector<NeededColumn> NeededColumns(const RecordOptions& opt, const Mapping* mapping);

// The problems of a CSV header: each needed column it lacks (at
// file:header_line, with a "did you mean" among the header's names), then
// each column that would pass through under a name the mapping sets (at the
// mapping spec's file:line:col). Empty: the header is fine.
std::vector<Status> CheckHeader(const std::vector<NeededColumn>& needed, const RecordOptions& opt, const Mapping* mapping,
                                const std::vector<std::string>& header, const std::string& file, int64_t header_line);

// JSONL: which needed keys the rows of one file lack.
class ColumnPresence {
 public:
  ColumnPresence(const std::vector<NeededColumn>& needed, const RecordOptions& opt, const Mapping* mapping)
      : needed_(needed), opt_(opt), mapping_(mapping), absent_(needed.size(), 0) {}
  // A row of the file (read without error). A core field counts as missing
  // when its key is absent or null, a mapped column when its key is absent.
  void Row(const RawRow& row);
  // A key of the row at `line` that the mapping also sets (ApplyMapping's collision).
  void Collision(const std::string& column, int64_t line);
  // The problems of the file that just ended, and a reset for the next one.
  std::vector<Status> Finish(const std::string& file);

 private:
  const std::vector<NeededColumn>& needed_;
  const RecordOptions& opt_;
  const Mapping* mapping_;
  std::vector<int64_t> absent_;  // rows lacking each needed column
  int64_t rows_ = 0;
  int64_t first_line_ = 0;
  std::vector<std::pair<std::string, int64_t>> collisions_;  // (key, first line), one per key
};

}  // namespace reckon
