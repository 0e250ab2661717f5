// libFuzzer target: the CSV and JSONL readers plus record validation and the
// once-per-file column checks (CheckHeader, ColumnPresence) (the first input
// byte picks the format: 'j' JSONL, else CSV). Invariants under test: no
// crash, every row is either read or reported, and reading always terminates.
#include "engine/needed_columns.h"
#include "engine/record.h"
#include "engine/row_reader.h"

#include <cstddef>
#include <cstdint>
#include <cstdio>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  reckon::RowFormat format = data[0] == 'j' ? reckon::RowFormat::kJsonl : reckon::RowFormat::kCsv;
  std::FILE* f = fmemopen(const_cast<uint8_t*>(data + 1), size - 1, "rb");
  if (!f) return 0;
  auto reader = reckon::MakeRowReader(f, "fuzz", format);
  reckon::RawRow row;
  reckon::Record rec;
  std::vector<std::pair<std::string_view, std::string_view>> scratch;
  const reckon::RecordOptions opt;
  const auto needed = reckon::NeededColumns(opt, nullptr);
  reckon::ColumnPresence presence(needed, opt, nullptr);
  bool header_checked = false;
  for (int i = 0; i < 100000; ++i) {
    auto next = reader->Next(row);
    if (!header_checked && reader->header_names()) {
      header_checked = true;
      for (auto& s : reckon::CheckHeader(needed, opt, nullptr, *reader->header_names(), "fuzz", reader->header_line())) (void)s.ToString();
    }
    if (!next.ok()) {
      if (!reader->recoverable()) break;
      continue;
    }
    if (!*next) break;
    if (!reader->header_names()) presence.Row(row);
    (void)reckon::BuildRecord(row, "fuzz", {}, rec, scratch);
  }
  for (auto& s : presence.Finish("fuzz")) (void)s.ToString();
  reader.reset();
  std::fclose(f);
  return 0;
}
