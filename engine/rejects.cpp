// RejectsWriter implementation (see rejects.h).
#include "engine/rejects.h"

#include "ledger/canonical.h"

#include <fmt/format.h>

#include <cerrno>
#include <cstring>

namespace reckon {

std::string CsvCell(std::string_view s) {
  bool quote = s.find_first_of(",\"\r\n") != std::string_view::npos;
  if (!quote) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

RejectsWriter::RejectsWriter(const std::string& input, RowFormat format) : format_(format) {
  std::string ext = format == RowFormat::kCsv ? ".csv" : ".jsonl";
  std::string base = input == "<stdin>" || input == "-" ? "stdin" : input;
  for (std::string_view suf : {".csv", ".CSV", ".jsonl", ".JSONL", ".ndjson"}) {
    if (base.size() > suf.size() && base.compare(base.size() - suf.size(), suf.size(), suf) == 0) {
      base.resize(base.size() - suf.size());
      break;
    }
  }
  path_ = base + ".rejects" + ext;
  tmp_ = path_ + ".tmp";
}

RejectsWriter::~RejectsWriter() { Discard(); }

void RejectsWriter::SetHeader(std::string header) { header_ = std::move(header); }

Status RejectsWriter::Write(const RawRow& row, const std::string& reason) {
  if (!f_) {
    f_ = std::fopen(tmp_.c_str(), "wb");
    if (!f_) return Status::Io(fmt::format("cannot write rejects file '{}': {}", tmp_, std::strerror(errno)));
  }
  std::string line;
  if (format_ == RowFormat::kCsv) {
    // The reason comes first, so it stays in its column whatever the shape
    // of the rejected row (one with too few or too many fields included).
    if (!header_written_) {
      line = header_.empty() ? "reason" : "reason," + header_;
      line += "\n";
      header_written_ = true;
    }
    line += CsvCell(reason);
    line += ',';
    line += row.raw;
    line += '\n';
  } else {
    std::string r;
    AppendJsonString(r, reason);
    size_t i = row.raw.find_first_not_of(" \t");
    auto j = nlohmann::json::parse(row.raw, nullptr, false);
    if (i != std::string::npos && row.raw[i] == '{' && !j.is_discarded() && j.is_object()) {
      std::string rest = row.raw.substr(i + 1);
      size_t k = rest.find_first_not_of(" \t");
      line = "{\"reason\":" + r + (k != std::string::npos && rest[k] == '}' ? "" : ",") + rest;
    } else {
      std::string raw;
      AppendJsonString(raw, row.raw);
      line = "{\"reason\":" + r + ",\"raw\":" + raw + "}";
    }
    line += '\n';
  }
  if (std::fwrite(line.data(), 1, line.size(), f_) != line.size())
    return Status::Io(fmt::format("cannot write rejects file '{}': {}", tmp_, std::strerror(errno)));
  return Status::Ok();
}

Result<std::string> RejectsWriter::Finish() {
  if (!f_) return std::string();
  bool ok = std::fflush(f_) == 0;
  ok = std::fclose(f_) == 0 && ok;
  f_ = nullptr;
  if (!ok || std::rename(tmp_.c_str(), path_.c_str()) != 0)
    return Status::Io(fmt::format("cannot write rejects file '{}': {}", path_, std::strerror(errno)));
  return path_;
}

void RejectsWriter::Discard() {
  if (!f_) return;
  std::fclose(f_);
  f_ = nullptr;
  std::remove(tmp_.c_str());
}

}  // namespace reckon
