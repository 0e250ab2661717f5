// Staging directory and bundle files (see staged_files.h).
#include "engine/export/staged_files.h"

#include "ledger/chain.h"

#include <fmt/format.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <charconv>
#include <cstring>

namespace reckon {

namespace fs = std::filesystem;

namespace {

constexpr size_t kWriteBufferBytes = size_t(1) << 20;  // stdio buffer of each bundle file

// ".NAME.tmp-" : the prefix of the staging directories of target NAME.
std::string StagingPrefix(const fs::path& target) { return "." + target.filename().string() + ".tmp-"; }

// Removes staging directories of `target` whose process no longer runs.
void RemoveStale(const fs::path& parent, const fs::path& target) {
  std::string prefix = StagingPrefix(target);
  std::error_code ec;
  for (fs::directory_iterator it(parent, ec), end; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    if (name.compare(0, prefix.size(), prefix) != 0) continue;
    std::string_view rest = std::string_view(name).substr(prefix.size());
    long pid = 0;
    auto [p, err] = std::from_chars(rest.data(), rest.data() + rest.size(), pid);
    if (err != std::errc() || p == rest.data() || *p != '-' || pid <= 0) continue;  // not ours
    if (::kill(pid_t(pid), 0) == 0 || errno != ESRCH) continue;                   // still running (or not ours to know)
    std::error_code rm;
    if (!it->is_symlink(rm) && it->is_directory(rm)) fs::remove_all(it->path(), rm);
  }
}

}  // namespace

Status CheckNewOutDir(const fs::path& out) {
  std::error_code ec;
  auto st = fs::status(out, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) return Status::Invalid(fmt::format("--out {}: exists and is not a directory", out.string()));
    if (!fs::is_empty(out, ec) || ec)
      return Status::Invalid(fmt::format("--out {}: directory exists and is not empty; choose a new directory", out.string()));
  }
  fs::path parent = out.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    return Status::Invalid(fmt::format("--out {}: parent directory {} does not exist", out.string(), parent.string()));
  return Status::Ok();
}

OutFile::OutFile(const fs::path& dir, std::string name) : name_(std::move(name)), path_(dir / name_) {
  f_ = std::fopen(path_.c_str(), "wbx");
  if (f_) {
    buf_.resize(kWriteBufferBytes);
    std::setvbuf(f_, buf_.data(), _IOFBF, buf_.size());
  }
  md_ = EVP_MD_CTX_new();
  if (md_) EVP_DigestInit_ex(md_, EVP_sha256(), nullptr);
}

OutFile::~OutFile() {
  if (f_) std::fclose(f_);
  EVP_MD_CTX_free(md_);
}

void OutFile::Write(std::string_view s) {
  if (!f_ || s.empty()) return;
  if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
  if (md_) EVP_DigestUpdate(md_, s.data(), s.size());
}

Result<std::string> OutFile::Close() {
  if (!f_ || !md_) return Status::Io(fmt::format("{}: cannot create: {}", path_.string(), std::strerror(errno)));
  int rc = std::fclose(f_);
  f_ = nullptr;
  if (rc != 0 || failed_) return Status::Io(fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno)));
  Hash h{};
  unsigned len = 0;
  EVP_DigestFinal_ex(md_, h.data(), &len);
  return ToHex(h);
}

StagingDir::~StagingDir() {
  if (!path_.empty() && !committed_) {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
}

Status StagingDir::Create(const fs::path& target) {
  fs::path parent = target.parent_path();
  if (parent.empty()) parent = ".";
  RemoveStale(parent, target);
  std::string tmpl = (parent / (StagingPrefix(target) + std::to_string(::getpid()) + "-XXXXXX")).string();
  if (!mkdtemp(tmpl.data()))
    return Status::Io(fmt::format("{}: cannot create a directory beside it: {}", target.string(), std::strerror(errno)));
  path_ = tmpl;
  // mkdtemp makes it 0700; the bundle gets the usual mode for new directories.
  mode_t mask = umask(0);
  umask(mask);
  ::chmod(path_.c_str(), 0777 & ~mask);
  return Status::Ok();
}

Status StagingDir::Commit(const fs::path& target) {
  if (std::rename(path_.c_str(), target.c_str()) != 0)
    return Status::Invalid(fmt::format("{}: cannot move the bundle into place: {}", target.string(), std::strerror(errno)));
  committed_ = true;
  return Status::Ok();
}

}  // namespace reckon
