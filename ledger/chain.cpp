// Chain: entry hashing with OpenSSL's EVP SHA-256 (see chain.h). One EVP
// context per thread is reused, so hashing an entry allocates nothing.
#include "ledger/chain.h"

#include <openssl/evp.h>

#include <memory>
#include <stdexcept>

namespace reckon {

namespace {

// The SHA-256 implementation, fetched once: an implicit fetch on every
// EVP_DigestInit costs as much as hashing a short payload.
const EVP_MD* Sha256Md() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

struct Hasher {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  ~Hasher() { EVP_MD_CTX_free(ctx); }
  void Init() {
    if (!ctx || !Sha256Md() || EVP_DigestInit_ex2(ctx, Sha256Md(), nullptr) != 1) throw std::runtime_error("OpenSSL SHA-256 unavailable");
  }
  void Update(const void* p, size_t n) { EVP_DigestUpdate(ctx, p, n); }
  Hash Final() {
    Hash h{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx, h.data(), &len);
    return h;
  }
};

Hasher& ThreadHasher() {
  thread_local Hasher h;
  return h;
}

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
  Hasher& h = ThreadHasher();
  h.Init();
  unsigned char head[8 + 4];
  PutBE(head, uint64_t(seq), 8);
  PutBE(head + 8, kind.size(), 4);
  unsigned char plen[8];
  PutBE(plen, payload.size(), 8);
  h.Update(kEntryDomain.data(), kEntryDomain.size());
  h.Update(head, sizeof head);
  h.Update(kind.data(), kind.size());
  h.Update(prev.data(), prev.size());
  h.Update(plen, sizeof plen);
  h.Update(payload.data(), payload.size());
  return h.Final();
}

Hash Sha256(std::string_view bytes) {
  Hasher& h = ThreadHasher();
  h.Init();
  h.Update(bytes.data(), bytes.size());
  return h.Final();
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
