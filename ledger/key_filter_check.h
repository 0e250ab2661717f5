// KeyFilterCheck: verify's check of the key_filters table (ledger format 3,
// docs/ledger-format.md "Key generations and their filters"): the filter of
// each finished generation is rebuilt from the generation's records rows,
// handed over in seq order, and compared byte for byte with the stored one.
// Internal to ledger/verify.cpp's RecordRowWorker (one thread).
#pragma once

#include "ledger/key_filter.h"

#include <cstdint>
#include <string>

struct sqlite3;

namespace reckon {

class KeyFilterCheck {
 public:
  // Checks generations [first, end). With `after` >= first's first entry
  // (verify --since: the rows up to the anchor are not handed over), the
  // rows of generation `first` up to `after` are read from the records
  // table. False if SQLite failed.
  bool Start(sqlite3* db, int64_t first, int64_t end, int64_t after);
  // The next records row, in seq order. Its filter block is only
  // prefetched here: the bits go in kAddAhead rows later, so that the
  // filter's cache misses (one per row, in a 2 MiB array) overlap instead
  // of stalling the thread one after the other.
  void Add(int64_t seq, int64_t id_key) {
    const int64_t gen = KeyGeneration(seq);
    while (cur_ < end_ && cur_ < gen) Close();
    if (gen != cur_ || cur_ >= end_) return;
    const uint64_t h = KeyFilterHash(id_key);
    built_.Prefetch(h);
    if (ahead_n_ == kAddAhead) ApplyAhead();
    ahead_[ahead_n_++] = h;
  }
  // After the last row: compares the generations not compared yet.
  void Finish() {
    while (cur_ < end_) Close();
  }
  // The first generation whose stored filter is missing, malformed or
  // different (-1: none), and what is wrong with it.
  int64_t bad_gen() const { return bad_gen_; }
  const std::string& why() const { return why_; }

 private:
  void Close();
  void ApplyAhead() {
    for (size_t i = 0; i < ahead_n_; ++i) built_.AddHash(ahead_[i]);
    ahead_n_ = 0;
  }
  static constexpr size_t kAddAhead = 16;  // rows whose blocks are in flight
  uint64_t ahead_[kAddAhead] = {};
  size_t ahead_n_ = 0;
  sqlite3* db_ = nullptr;
  int64_t cur_ = 0, end_ = 0, bad_gen_ = -1;
  KeyFilter built_, stored_;
  std::string why_;
};

}  // namespace reckon
