// RecordKey: the 64-bit key under which the records table indexes an id
// (column `id_key`, index `records_key`; docs/ledger-format.md).
//
// Ids that end in a number of 4 or more digits -- ticket numbers, sequences (`INC0012345`,
// `TCK-202610-00000042`) -- keep their order: the high 32 bits hash the vendor,
// the rest of the id and the number's digit count, the low 32 bits are the
// number (mod 2^32). A month of such ids then lands at the end of a few key
// ranges instead of all over the index, so ingest touches the pages it adds,
// not the whole index. Other ids (UUIDs) get FNV-1a 64 of vendor, 0x00 and
// id. Written out here rather than taken from a library: it is a few lines,
// ledger/verify_ledger.py must compute it bit for bit, and it need not be
// cryptographic -- ids that share a key are told apart by their payloads
// (every lookup confirms the id), so a collision costs a read, never a wrong
// answer.
#pragma once

#include <cstdint>
#include <string_view>

namespace reckon {

inline constexpr size_t kRecordKeyMaxDigits = 18;  // the numeric tail that orders a key (at most)
inline constexpr size_t kRecordKeyMinDigits = 4;   // shorter tails (a UUID's last hex digits) are hashed

inline uint64_t Fnv1a64(uint64_t h, std::string_view bytes) {
  for (unsigned char c : bytes) h = (h ^ c) * 0x100000001b3ULL;
  return h;
}

inline int64_t RecordKey(std::string_view vendor, std::string_view id) {
  constexpr uint64_t kBasis = 0xcbf29ce484222325ULL;
  size_t digits = 0;
  while (digits < id.size() && digits < kRecordKeyMaxDigits && id[id.size() - 1 - digits] >= '0' && id[id.size() - 1 - digits] <= '9') ++digits;
  uint64_t h = Fnv1a64(Fnv1a64(kBasis, vendor), std::string_view("\0", 1));
  if (digits < kRecordKeyMinDigits) return int64_t(Fnv1a64(h, id));
  std::string_view prefix = id.substr(0, id.size() - digits), tail = id.substr(id.size() - digits);
  const char count[2] = {'\0', char('0' + digits)};
  h = Fnv1a64(Fnv1a64(h, prefix), std::string_view(count, 2));
  uint64_t number = 0;
  for (char c : tail) number = number * 10 + uint64_t(c - '0');
  return int64_t((h & 0xffffffff00000000ULL) | (number & 0xffffffffULL));
}

}  // namespace reckon
