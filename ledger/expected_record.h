// ExpectedRecord: the identity of a record about to be put, (vendor, id,
// revision), as views (valid while the caller's strings live); see
// Ledger::ExpectRecords. ProbedRecords: what a backend's RecordProber worked
// out about a batch of them ahead, possibly on another thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <vector>

namespace reckon {

struct ExpectedRecord {
  std::string_view vendor, id;
  int64_t revision = 0;
};

// For expected record i: its record key and the finished key generations
// whose filter may hold it (gens[keys[i].begin, keys[i].end)). Filled by a
// RecordProber, handed back to Ledger::ExpectRecords with the same records.
struct ProbedRecords {
  struct Key {
    int64_t key = 0;
    uint32_t begin = 0, end = 0;
  };
  std::vector<Key> keys;
  std::vector<int64_t> gens;
};

// Works out ahead what ExpectRecords would about a batch (Ledger::RecordProber).
using RecordProber = std::function<void(const std::vector<ExpectedRecord>&, ProbedRecords&)>;

}  // namespace reckon
