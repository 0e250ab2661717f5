// Chain: entry hashing with OpenSSL's SHA-256 (see chain.h).
//
// OpenSSL's SHA256_Init / _Update / _Final (and SHA256) rather than its EVP
// interface: verify and ingest hash every entry, a few hundred bytes each,
// and EVP's per-digest dispatch cost about 70 ns of the 250 ns an entry took
// (measured: 245 against 175 ns per record payload). OpenSSL 3 marks these
// functions deprecated in favour of EVP but still provides them, with the
// same SHA-NI / AVX code underneath; the hashes are the same bytes.
#define OPENSSL_SUPPRESS_DEPRECATED
#include "ledger/chain.h"

#include <openssl/sha.h>

namespace reckon {

namespace {

void PutBE(unsigned char* out, uint64_t v, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) { out[i] = static_cast<unsigned char>(v & 0xff); v >>= 8; }
}

}  // namespace

std::string EntryPreimage(int64_t seq, std::string_view kind, const Hash& prev, std::string_view payload) {
  std::string out(kEntryDomain);
  unsigned char b[8];
  PutBE(b, uint64_t(seq), 8);
  out.append(reinterpret_cast<char*>(b), 8);
  PutBE(b, kind.size(), 4);
  out.append(reinterpret_cast<char*>(b), 4);
  out.append(kind);
  out.append(reinterpret_cast<const char*>(prev.data()), prev.size());
  PutBE(b, payload.size(), 8);
  out.append(reinterpret_cast<char*>(b), 8);
  out.append(payload);
  return out;
}

Hash EntryHash(int64_t seq, std::string_view kind, const Hash& prev, std::string_view payload) {
  unsigned char head[8 + 4];
  PutBE(head, uint64_t(seq), 8);
  PutBE(head + 8, kind.size(), 4);
  unsigned char plen[8];
  PutBE(plen, payload.size(), 8);
  SHA256_CTX c;
  SHA256_Init(&c);
  SHA256_Update(&c, kEntryDomain.data(), kEntryDomain.size());
  SHA256_Update(&c, head, sizeof head);
  SHA256_Update(&c, kind.data(), kind.size());
  SHA256_Update(&c, prev.data(), prev.size());
  SHA256_Update(&c, plen, sizeof plen);
  SHA256_Update(&c, payload.data(), payload.size());
  Hash h{};
  SHA256_Final(h.data(), &c);
  return h;
}

Hash Sha256(std::string_view bytes) {
  Hash h{};
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), h.data());
  return h;
}

std::string ToHex(const Hash& h) {
  static const char* kDigits = "0123456789abcdef";
  std::string out(64, '0');
  for (size_t i = 0; i < 32; ++i) {
    out[2 * i] = kDigits[h[i] >> 4];
    out[2 * i + 1] = kDigits[h[i] & 15];
  }
  return out;
}

std::optional<Hash> HashFromHex(std::string_view hex) {
  if (hex.size() != 64) return std::nullopt;
  Hash h{};
  for (size_t i = 0; i < 64; ++i) {
    char c = hex[i];
    int v = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
    if (v < 0) return std::nullopt;
    h[i / 2] = static_cast<unsigned char>(i % 2 ? (h[i / 2] | v) : (v << 4));
  }
  return h;
}

}  // namespace reckon
