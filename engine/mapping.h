// Mapping: column mappings for `reckon ingest --map M.yaml` (docs/records.md).
//
// A mapping turns the rows of a real export (ServiceNow, Jira, ...) into the
// rows BuildRecord expects: core fields and attributes are renamed from
// columns or set to constants, values are mapped through a table, dates in
// a strptime-style format and a time zone become canonical UTC text, and a
// marker text such as "?" can mean "absent".
//
// Invariants:
//  * Nothing of the source row is lost silently: columns the mapping names
//    are consumed by it, columns listed under `drop` are left out, and every
//    other column passes through unchanged as an attribute under its own
//    name. A pass-through column whose name the mapping also produces is an
//    error (never one value silently replacing the other).
//  * ApplyMapping is a pure function of (mapping, row): the same row always
//    gives the same output, so duplicates and conflicts still compare content.
//  * No floating point anywhere; every value stays text.
//  * Load errors are all reported at once, each with the mapping file's
//    file:line:col. Row errors name the data file:line and the mapping line.
#pragma once

#include "dsl/status.h"
#include "dsl/timestamp.h"
#include "engine/row_reader.h"

#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxMappingBytes = 1 << 20;       // the mapping file
inline constexpr size_t kMaxMappingEntries = 512;         // specs under fields, names under drop
inline constexpr size_t kMaxValueMapEntries = 4096;       // entries of one value map
inline constexpr size_t kMaxDateFormatLength = 64;        // bytes of one format

// One piece of a compiled date format: a literal byte or a directive.
struct DateFormatPart {
  char directive = 0;  // 'Y', 'm', 'd', ... ; 0 = literal
  char literal = 0;
};

// Where a value comes from and what is done to it, in this order:
// read (column or constant) -> `missing` marker means absent -> value map
// (or default) -> date format / zone -> output. Absent values stay absent.
struct MappingSpec {
  std::string name;                                   // output field name
  std::optional<std::string> column;                  // source column, or
  std::optional<std::string> value;                   // a constant
  std::vector<std::pair<std::string, std::string>> map;  // source text -> output text (sorted)
  std::optional<std::string> default_value;           // output when not in `map`
  std::string format_text;                            // "" = no format
  std::vector<DateFormatPart> format;
  std::optional<Zone> zone;                           // set with format, or alone for ISO text
  std::optional<std::string> missing;                 // marker text that means absent
  int line = 0;                                       // of the spec in the mapping file
  int col = 0;                                        // of its key on that line
};

struct Mapping {
  std::string file;                   // the mapping file as named on the command line
  std::vector<MappingSpec> specs;     // core fields first, then `fields`, in file order
  std::vector<std::string> drop;
  // Column name -> how a column of that name is treated when it is read.
  enum class Use { kConsumed, kDropped, kProduced };
  std::unordered_map<std::string, Use> columns;
  // Output name -> mapping line, for names a pass-through column must not take.
  std::unordered_map<std::string, int> produced;
};

// Reads and checks a mapping file. On failure the Status is kInvalidInput
// ("mapping 'M.yaml' has N error(s)") and every problem is appended to
// `problems` (when given) as a Status with file:line:col.
Result<Mapping> LoadMapping(const std::string& path, std::vector<Status>* problems = nullptr);
// The same from text already read; `path` names it in errors.
Result<Mapping> LoadMappingText(const std::string& path, const std::string& text, std::vector<Status>* problems = nullptr);

// Builds in `out` the row BuildRecord sees (out.line = in.line; out.raw is
// left empty: the input row stays the one to quote). `out`'s storage is
// reused from call to call. Errors are kInvalidInput at {data_file, line}
// with the field name and "(mapping M.yaml:LINE)" in the message. When the
// error is a column that would pass through under a name the mapping sets,
// `*collision` (when given) is set to that column's name.
Status ApplyMapping(const Mapping& m, const RawRow& in, RawRow& out, const std::string& data_file,
                    std::string* collision = nullptr);

// The spec that produces output field `name`, or nullptr.
const MappingSpec* FindSpec(const Mapping& m, std::string_view name);

// Parses `text` in a compiled format as local time in `zone`; the error
// says what is wrong ("February 2016 has 29 days"). Exposed for tests.
Result<Timestamp> ParseWithFormat(const std::vector<DateFormatPart>& format, const Zone& zone, std::string_view text);

}  // namespace reckon
