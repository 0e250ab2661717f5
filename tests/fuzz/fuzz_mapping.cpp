// libFuzzer target: the column-mapping loader (LoadMappingText) and, when the mapping loads,
// ApplyMapping + BuildRecord on CSV rows. The input is the mapping YAML, then a NUL byte, then
// CSV data (header and rows); without a NUL byte the whole input is the mapping and is applied
// to one fixed row. The columns the mapping needs are checked against the CSV header
// (NeededColumns, CheckHeader) and counted per row (ColumnPresence), as ingest does. Invariants under test: no crash; a mapping is either loaded or refused with
// at least one problem, each carrying the mapping's file name and rendering to text; applying a
// loaded mapping to any row gives a row or an error, never a crash.
#include "engine/mapping.h"
#include "engine/needed_columns.h"
#include "engine/record.h"
#include "engine/row_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace {

void Apply(const reckon::Mapping& m, const reckon::RawRow& in) {
  reckon::RawRow out;
  reckon::Record rec;
  std::vector<std::pair<std::string_view, std::string_view>> scratch;
  std::string collision;
  auto s = reckon::ApplyMapping(m, in, out, "rows.csv", &collision);
  if (!s.ok()) {
    (void)s.ToString();
    return;
  }
  (void)reckon::BuildRecord(out, "rows.csv", {}, rec, scratch);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const char* p = reinterpret_cast<const char*>(data);
  const char* nul = static_cast<const char*>(std::memchr(p, 0, size));
  std::string text(p, nul ? size_t(nul - p) : size);
  std::vector<reckon::Status> problems;
  auto m = reckon::LoadMappingText("fuzz.yaml", text, &problems);
  if (!m.ok()) {
    if (problems.empty()) {
      std::fprintf(stderr, "mapping refused without a problem: %s\n", m.status().ToString().c_str());
      std::abort();
    }
    for (const auto& s : problems) {
      if (s.ToString().find("fuzz.yaml") == std::string::npos) {
        std::fprintf(stderr, "problem without the file name: %s\n", s.ToString().c_str());
        std::abort();
      }
    }
    return 0;
  }
  if (!nul) {
    reckon::RawRow row;
    row.line = 2;
    row.fields = {{"id", "T-1"}, {"vendor", "acme-ai"}, {"occurred_at", "2026-10-03T18:05:00Z"}, {"number", "INC1"},
                  {"opened_at", "29/2/2016 01:16"}, {"incident_state", "Closed"}, {"sys_mod_count", "2"}, {"x", std::nullopt}};
    Apply(*m, row);
    return 0;
  }
  size_t rest = size - size_t(nul - p) - 1;
  std::FILE* f = fmemopen(const_cast<char*>(nul + 1), rest, "rb");
  if (!f) return 0;
  auto reader = reckon::MakeRowReader(f, "rows.csv", reckon::RowFormat::kCsv);
  reckon::RawRow row;
  const reckon::RecordOptions opt;
  const auto needed = reckon::NeededColumns(opt, &*m);
  reckon::ColumnPresence presence(needed, opt, &*m);
  bool header_checked = false;
  for (int i = 0; i < 10000; ++i) {
    auto next = reader->Next(row);
    if (!header_checked && reader->header_names()) {
      header_checked = true;
      for (auto& s : reckon::CheckHeader(needed, opt, &*m, *reader->header_names(), "rows.csv", reader->header_line())) {
        if (s.ToString().empty()) std::abort();
      }
    }
    if (next.ok() && *next) presence.Row(row);
    if (!next.ok()) {
      if (!reader->recoverable()) break;
      continue;
    }
    if (!*next) break;
    Apply(*m, row);
  }
  for (auto& s : presence.Finish("rows.csv")) (void)s.ToString();
  reader.reset();
  std::fclose(f);
  return 0;
}
