// RejectsWriter implementation (see rejects.h).
#include "engine/rejects.h"

#include "engine/csv_cell.h"

#include "dsl/printable.h"
#include "ledger/canonical.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>
#include <random>

namespace reckon {


std::string RejectsPath(const std::string& input, RowFormat format) {
  std::string ext = format == RowFormat::kCsv ? ".csv" : ".jsonl";
  std::string base = input == "<stdin>" || input == "-" ? "stdin" : input;
  for (std::string_view suf : {".csv", ".CSV", ".jsonl", ".JSONL", ".ndjson"}) {
    if (base.size() > suf.size() && base.compare(base.size() - suf.size(), suf.size(), suf) == 0) {
      base.resize(base.size() - suf.size());
      break;
    }
  }
  return base + ".rejects" + ext;
}

std::optional<Status> RejectsPathCollision(const std::vector<std::string>& inputs, const std::vector<std::string>& paths) {
  std::map<std::string, size_t> seen;
  for (size_t i = 0; i < paths.size(); ++i) {
    std::error_code ec;
    std::filesystem::path p = std::filesystem::weakly_canonical(std::filesystem::absolute(paths[i], ec), ec);
    std::string key = ec ? paths[i] : p.string();
    auto [it, fresh] = seen.emplace(key, i);
    if (fresh) continue;
    const size_t j = it->second;
    std::string what = inputs[i] == inputs[j] ? fmt::format("input {} is given twice", Printable(inputs[i]))
                                              : fmt::format("inputs {} and {}", Printable(inputs[j]), Printable(inputs[i]));
    return Status::Usage(fmt::format("--skip-invalid: {}; both would write the rejects file {}; "
                                     "give each input once, or ingest them in separate runs",
                                     what, Printable(paths[i])));
  }
  return std::nullopt;
}

RejectsWriter::RejectsWriter(const std::string& input, RowFormat format) : path_(RejectsPath(input, format)), format_(format) {}

RejectsWriter::~RejectsWriter() { Discard(); }

void RejectsWriter::SetHeader(std::string header) { header_ = std::move(header); }

Status RejectsWriter::Write(const RawRow& row, const std::string& reason) {
  if (!f_) {
    // A new file beside the target, under a fresh random name: O_CREAT|O_EXCL|
    // O_NOFOLLOW, so an existing file or a planted symlink is never opened or
    // followed. (Not mkstemp: its files are 0600 whatever the umask.)
    static const char kChars[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    std::random_device rd;
    std::string templ;
    int fd = -1;
    for (int attempt = 0; attempt < 100 && fd < 0; ++attempt) {
      templ = path_ + ".tmp-";
      for (int k = 0; k < 8; ++k) templ += kChars[rd() % (sizeof kChars - 1)];
      fd = open(templ.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
      if (fd < 0 && errno != EEXIST) break;
    }
    if (fd < 0) return Status::Io(fmt::format("cannot create rejects file {}: {}", Printable(templ), std::strerror(errno)));
    f_ = fdopen(fd, "wb");
    if (!f_) {
      int e = errno;
      close(fd);
      unlink(templ.c_str());
      return Status::Io(fmt::format("cannot create rejects file {}: {}", Printable(templ), std::strerror(e)));
    }
    tmp_ = templ;
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
    // An object of its own with a "reason" key is kept whole under "raw", like a
    // line that is not an object: a second "reason" key would hide one of them.
    if (i != std::string::npos && row.raw[i] == '{' && !j.is_discarded() && j.is_object() && !j.contains("reason")) {
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
    return Status::Io(fmt::format("cannot write rejects file {}: {}", Printable(tmp_), std::strerror(errno)));
  return Status::Ok();
}

Status RejectsWriter::Place() {
  if (!f_) return Status::Ok();
  bool ok = std::fflush(f_) == 0 && fsync(fileno(f_)) == 0;
  int e = errno;
  ok = std::fclose(f_) == 0 && ok;
  if (!ok && e == 0) e = errno;
  f_ = nullptr;
  if (ok && std::rename(tmp_.c_str(), path_.c_str()) != 0) {
    ok = false;
    e = errno;
  }
  if (!ok) {
    unlink(tmp_.c_str());
    tmp_.clear();
    return Status::Io(fmt::format("cannot write rejects file {}: {}; nothing was written", Printable(path_), std::strerror(e)));
  }
  tmp_.clear();
  placed_ = true;
  // The rename is durable once its directory is synced (best effort).
  std::string dir = std::filesystem::path(path_).parent_path().string();
  int dfd = open(dir.empty() ? "." : dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    fsync(dfd);
    close(dfd);
  }
  return Status::Ok();
}

void RejectsWriter::Unplace() {
  if (!placed_) return;
  unlink(path_.c_str());
  placed_ = false;
}

void RejectsWriter::Discard() {
  if (!f_) return;
  std::fclose(f_);
  f_ = nullptr;
  unlink(tmp_.c_str());
  tmp_.clear();
}

}  // namespace reckon
