// Staged files: how an audit bundle reaches the disk all or nothing.
//
// StagingDir is a fresh directory beside the target, named
// `.TARGET.tmp-PID-XXXXXX`; it is renamed onto the target at the end and
// removed on any error. A staging directory left by a process that was
// killed (its PID no longer runs) is removed by the next export to the same
// target. OutFile is one file inside it: created exclusively, buffered,
// hashed (SHA-256) on the way.
#pragma once

#include "dsl/status.h"

#include <openssl/evp.h>

#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// An --out DIR that a StagingDir may become: new, or an empty directory,
// whose parent exists (else kInvalidInput saying so).
Status CheckNewOutDir(const std::filesystem::path& out);

class OutFile {
 public:
  OutFile(const std::filesystem::path& dir, std::string name);
  ~OutFile();
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  void Write(std::string_view s);
  // Closes the file; the hex SHA-256 of everything written, or an error.
  Result<std::string> Close();
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  std::filesystem::path path_;
  std::FILE* f_ = nullptr;
  std::vector<char> buf_;
  EVP_MD_CTX* md_ = nullptr;
  bool failed_ = false;
};

class StagingDir {
 public:
  StagingDir() = default;
  ~StagingDir();
  StagingDir(const StagingDir&) = delete;
  StagingDir& operator=(const StagingDir&) = delete;

  Status Create(const std::filesystem::path& target);
  // rename(2) replaces an empty directory and refuses a non-empty one, so a
  // directory filled by someone else meanwhile is never overwritten.
  Status Commit(const std::filesystem::path& target);
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool committed_ = false;
};

}  // namespace reckon
