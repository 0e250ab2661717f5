// RowReader factories: open a file (or stdin) and pick the CSV or JSONL reader.
// The readers themselves live in engine/csv_reader.cpp and
// engine/jsonl_reader.cpp; both share engine/input_buffer.h.
//
// Invariants: a reader made by OpenRowReader owns (and closes) its FILE*,
// except for stdin; one made by MakeRowReader never closes its stream. A
// regular file larger than kMaxFileBytes is refused before any byte is read;
// other streams are cut off by the reader once they pass the limit.
#include "engine/row_reader.h"

#include "engine/csv_reader.h"
#include "engine/jsonl_reader.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstring>

namespace reckon {

std::unique_ptr<RowReader> MakeRowReader(std::FILE* stream, std::string name, RowFormat format) {
  if (format == RowFormat::kCsv) return internal::MakeCsvReader(stream, /*owns=*/false, std::move(name));
  return internal::MakeJsonlReader(stream, /*owns=*/false, std::move(name));
}

Result<std::unique_ptr<RowReader>> OpenRowReader(const std::string& path, RowFormat format) {
  std::FILE* f = nullptr;
  bool owns = true;
  std::string name = path;
  if (path == "-") {
    f = stdin;
    owns = false;
    name = "<stdin>";
  } else {
    f = std::fopen(path.c_str(), "rb");
    if (f == nullptr) {
      const int e = errno;
      std::string msg = "cannot open '" + path + "': " + std::strerror(e);
      if (e == ENOENT || e == ENOTDIR || e == EACCES || e == EISDIR || e == ENAMETOOLONG || e == ELOOP) {
        return Status::Invalid(std::move(msg));
      }
      return Status::Io(std::move(msg));
    }
  }
  struct stat st;
  if (fstat(fileno(f), &st) == 0) {
    std::string err;
    if (S_ISDIR(st.st_mode)) {
      err = "cannot open '" + name + "': " + std::strerror(EISDIR);
    } else if (S_ISREG(st.st_mode) && int64_t(st.st_size) > kMaxFileBytes) {
      err = "'" + name + "' is " + std::to_string(int64_t(st.st_size)) + " bytes, more than the limit of " +
            std::to_string(kMaxFileBytes) + " bytes per input file";
    }
    if (!err.empty()) {
      if (owns) std::fclose(f);
      return Status::Invalid(std::move(err));
    }
  }
  if (format == RowFormat::kCsv) return internal::MakeCsvReader(f, owns, std::move(name));
  return internal::MakeJsonlReader(f, owns, std::move(name));
}

std::optional<RowFormat> RowFormatOfPath(const std::string& path) {
  auto ends = [&](std::string_view suf) { return path.size() >= suf.size() && path.compare(path.size() - suf.size(), suf.size(), suf) == 0; };
  if (ends(".csv") || ends(".CSV")) return RowFormat::kCsv;
  if (ends(".jsonl") || ends(".ndjson") || ends(".JSONL")) return RowFormat::kJsonl;
  return std::nullopt;
}

}  // namespace reckon
