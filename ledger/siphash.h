// SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit hash, used by
// Ledger::Verify to compare the multiset of an index's entries with the rows
// of its table in one pass over each (a sum of SipHash values under a key
// drawn at random for every run, so no change to the file can be prepared to
// cancel out). Written out here because it is thirty lines, must be exactly
// the published function (tests/unit/siphash_test.cpp checks the reference
// vectors), and OpenSSL 3.0 offers it only through the EVP_MAC interface,
// which costs an allocation per message.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace reckon {

struct SipKey {
  uint64_t k0 = 0, k1 = 0;
};

namespace sip_detail {
inline uint64_t Rotl(uint64_t x, int b) { return (x << b) | (x >> (64 - b)); }
__attribute__((always_inline)) inline void Round(uint64_t& v0, uint64_t& v1, uint64_t& v2, uint64_t& v3) {
  v0 += v1; v1 = Rotl(v1, 13); v1 ^= v0; v0 = Rotl(v0, 32);
  v2 += v3; v3 = Rotl(v3, 16); v3 ^= v2;
  v0 += v3; v3 = Rotl(v3, 21); v3 ^= v0;
  v2 += v1; v1 = Rotl(v1, 17); v1 ^= v2; v2 = Rotl(v2, 32);
}
}  // namespace sip_detail

inline uint64_t SipHash24(const SipKey& key, const void* data, size_t len) {
  using sip_detail::Round;
  uint64_t v0 = 0x736f6d6570736575ULL ^ key.k0, v1 = 0x646f72616e646f6dULL ^ key.k1;
  uint64_t v2 = 0x6c7967656e657261ULL ^ key.k0, v3 = 0x7465646279746573ULL ^ key.k1;
  const unsigned char* p = static_cast<const unsigned char*>(data);
  const size_t whole = len - len % 8;
  for (size_t i = 0; i < whole; i += 8) {
    uint64_t m = 0;
    for (int b = 7; b >= 0; --b) m = (m << 8) | p[i + size_t(b)];  // little-endian
    v3 ^= m;
    Round(v0, v1, v2, v3);
    Round(v0, v1, v2, v3);
    v0 ^= m;
  }
  uint64_t last = uint64_t(len & 0xff) << 56;
  for (size_t i = whole; i < len; ++i) last |= uint64_t(p[i]) << (8 * (i - whole));
  v3 ^= last;
  Round(v0, v1, v2, v3);
  Round(v0, v1, v2, v3);
  v0 ^= last;
  v2 ^= 0xff;
  for (int i = 0; i < 4; ++i) Round(v0, v1, v2, v3);
  return v0 ^ v1 ^ v2 ^ v3;
}

// Builds a message of fixed-width integers and text fields (each text
// preceded by its length, so that field boundaries are part of the message).
// Reusable: Clear() keeps the buffer.
class SipMessage {
 public:
  SipMessage& Clear() {
    buf_.clear();
    return *this;
  }
  SipMessage& Int(int64_t v) {
    char b[8];
    for (int i = 0; i < 8; ++i) b[i] = static_cast<char>(uint64_t(v) >> (8 * i));
    buf_.append(b, 8);
    return *this;
  }
  SipMessage& Text(std::string_view s) {
    Int(int64_t(s.size()));
    buf_.append(s);
    return *this;
  }
  uint64_t Hash(const SipKey& key) const { return SipHash24(key, buf_.data(), buf_.size()); }

 private:
  std::string buf_;
};

}  // namespace reckon
