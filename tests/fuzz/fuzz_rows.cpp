// libFuzzer target: the CSV and JSONL readers plus record validation (the
// first input byte picks the format: 'j' JSONL, else CSV). Invariants under test: no crash, every
// row is either read or reported, and reading always terminates.
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
  for (int i = 0; i < 100000; ++i) {
    auto next = reader->Next(row);
    if (!next.ok()) {
      if (!reader->recoverable()) break;
      continue;
    }
    if (!*next) break;
    (void)reckon::BuildRecord(row, "fuzz", {}, rec, scratch);
  }
  reader.reset();
  std::fclose(f);
  return 0;
}
