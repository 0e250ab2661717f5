// KeyFilter: the Bloom filter of one key generation (ledger format 3,
// docs/ledger-format.md "Key generations and their filters").
//
// The records_key index is ordered by generation first (`seq >> 20`, then
// id_key), so that a month of random ids (UUIDs) inserts into the newest
// generation's part of the index only, instead of into every page of a
// history-sized one. A lookup then seeks the generations that may hold the
// key: the unfinished ones always, each finished one only where its filter
// (one row of table key_filters, written when the generation fills up) says
// the key may be there.
//
// Hand-written rather than taken from a library: it is a few lines, the bytes
// are part of the ledger format, and ledger/verify_ledger.py must compute them
// bit for bit. The layout is a blocked Bloom filter: one 64-byte block per key
// (one cache line, so one memory access per probe), one bit in each of its
// eight 64-bit words. With 2^20 keys in 32,768 blocks (16 bits per key) about
// 1 lookup in 1,500 of a key that is not there seeks the index needlessly; a
// filter never misses a key that is there.
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <functional>
#include <string_view>
#include <vector>

namespace reckon {

// Filter memory on 2 MiB pages where the kernel grants them (madvise): a
// lookup reads a random block of every filter, and on 4 KiB pages each read
// would also miss the TLB.
template <class T>
struct HugePageAllocator {
  using value_type = T;
  HugePageAllocator() = default;
  template <class U>
  HugePageAllocator(const HugePageAllocator<U>&) {}
  T* allocate(size_t n);
  void deallocate(T* p, size_t) { std::free(p); }
  bool operator==(const HugePageAllocator&) const { return true; }
  bool operator!=(const HugePageAllocator&) const { return false; }
};
using FilterWords = std::vector<uint64_t, HugePageAllocator<uint64_t>>;

inline constexpr int kKeyGenerationBits = 20;                         // generation of entry seq: seq >> 20
inline constexpr int64_t kKeyGenerationEntries = int64_t(1) << kKeyGenerationBits;
inline constexpr int kKeyFilterBlockBits = 15;                        // 32,768 blocks
inline constexpr size_t kKeyFilterWords = (size_t(1) << kKeyFilterBlockBits) * 8;
inline constexpr size_t kKeyFilterBytes = kKeyFilterWords * 8;       // 2,097,152 bytes per generation
// A write transaction builds in-memory filters of the unfinished generations
// after this many lookups (reading at most 2^20 index entries per generation
// costs about what this many seeks do).
inline constexpr int64_t kOpenFilterAfterLookups = 16384;

// The generation of entry seq.
inline int64_t KeyGeneration(int64_t seq) { return seq >> kKeyGenerationBits; }
// How many generations are finished (every entry of them exists) when the
// head is at seq: generations 0 .. result-1.
inline int64_t FinishedGenerations(int64_t head_seq) { return (head_seq + 1) >> kKeyGenerationBits; }

// splitmix64's finalizer: every bit of the key moves every bit of the result.
inline uint64_t KeyFilterHash(int64_t id_key) {
  uint64_t z = uint64_t(id_key);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

class KeyFilter {
 public:
  KeyFilter() : words_(kKeyFilterWords, 0) {}

  // Block: the top 15 bits of the hash; in word i of it (i = 0..7), bit
  // (hash >> 6i) & 63.
  void Add(int64_t id_key) { AddHash(KeyFilterHash(id_key)); }
  // The same with the hash computed once (KeyFilterHash).
  void AddHash(uint64_t h) {
    uint64_t* block = &words_[(h >> (64 - kKeyFilterBlockBits)) * 8];
    for (int i = 0; i < 8; ++i) block[i] |= uint64_t(1) << ((h >> (6 * i)) & 63);
  }
  // Back to empty, keeping its memory.
  void Clear() { std::fill(words_.begin(), words_.end(), 0); }
  bool MayContain(int64_t id_key) const { return MayContainHash(KeyFilterHash(id_key)); }
  void Prefetch(uint64_t h) const { __builtin_prefetch(&words_[(h >> (64 - kKeyFilterBlockBits)) * 8]); }
  // The same with the hash computed once (KeyFilterHash).
  bool MayContainHash(uint64_t h) const {
    const uint64_t* block = &words_[(h >> (64 - kKeyFilterBlockBits)) * 8];
    uint64_t miss = 0;
    for (int i = 0; i < 8; ++i) miss |= ~block[i] & (uint64_t(1) << ((h >> (6 * i)) & 63));
    return miss == 0;
  }

  // Word i of block b (i = 0..7).
  uint64_t word(size_t block, int i) const { return words_[block * 8 + size_t(i)]; }

  // The stored bytes: the words in order, each little-endian.
  std::string Bytes() const;
  // From stored bytes; false (the filter unchanged) unless exactly kKeyFilterBytes.
  bool Read(std::string_view bytes);
  bool operator==(const KeyFilter& o) const { return words_ == o.words_; }

 private:
  FilterWords words_;
};

// The filters of generations 0 .. size-1 in one array, a key's block of
// every generation side by side (block b of generation g at (b * size + g)
// * 64 bytes): a lookup reads one run of adjacent cache lines, on one or two
// memory pages, instead of one line on another page per generation.
class KeyFilterSet {
 public:
  size_t size() const { return gens_; }
  // Adds the filters of the next `count` generations, in order: bytes(i) is
  // the i-th one's stored form (KeyFilter::Bytes), valid until the next call;
  // each is copied straight into place, without a KeyFilter of its own.
  // Rebuilds the array: once per transaction that finds new ones, not per
  // lookup. False, the set unchanged, if one is not kKeyFilterBytes long.
  bool Append(size_t count, const std::function<std::string_view(size_t i)>& bytes);
  // Starts loading the blocks ForEachMaybe(h) will read (a batch of lookups
  // prefetches a few keys ahead, so that their memory reads overlap).
  void Prefetch(uint64_t h) const {
    if (gens_ == 0) return;
    const uint64_t* run = &words_[(h >> (64 - kKeyFilterBlockBits)) * gens_ * 8];
    for (size_t g = 0; g < gens_; ++g) __builtin_prefetch(run + g * 8);
  }
  // Calls fn(gen) for every generation whose filter may hold the key of hash h.
  template <class Fn>
  void ForEachMaybe(uint64_t h, Fn&& fn) const {
    if (gens_ == 0) return;
    const uint64_t* run = &words_[(h >> (64 - kKeyFilterBlockBits)) * gens_ * 8];
    uint64_t bits[8];
    for (int i = 0; i < 8; ++i) bits[i] = uint64_t(1) << ((h >> (6 * i)) & 63);
    for (size_t g = 0; g < gens_; ++g) {
      const uint64_t* block = run + g * 8;
      uint64_t miss = 0;
      for (int i = 0; i < 8; ++i) miss |= ~block[i] & bits[i];
      if (miss == 0) fn(int64_t(g));
    }
  }

 private:
  size_t gens_ = 0;
  FilterWords words_;
};

}  // namespace reckon
