// Chain: the hash of a ledger entry, byte by byte (docs/ledger-format.md).
//
//   hash = SHA-256( "reckon-entry-v1" 0x00
//                   || seq            : 8 bytes, unsigned big-endian
//                   || len(kind)      : 4 bytes, unsigned big-endian
//                   || kind           : ASCII bytes
//                   || prev_hash      : 32 bytes (genesis: 32 zero bytes)
//                   || len(payload)   : 8 bytes, unsigned big-endian
//                   || payload        : the exact stored bytes )
//
// The domain tag keeps entry hashes apart from any other SHA-256 use; the
// length prefixes make the encoding injective. SHA-256 comes from OpenSSL.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reckon {

using Hash = std::array<unsigned char, 32>;
inline constexpr std::string_view kEntryDomain{"reckon-entry-v1\0", 16};

// The bytes that are hashed for an entry (for tests and documentation).
std::string EntryPreimage(int64_t seq, std::string_view kind, const Hash& prev, std::string_view payload);
Hash EntryHash(int64_t seq, std::string_view kind, const Hash& prev, std::string_view payload);
// Plain SHA-256 of bytes (contract text digests, export manifests).
Hash Sha256(std::string_view bytes);

std::string ToHex(const Hash& h);
std::optional<Hash> HashFromHex(std::string_view hex);

}  // namespace reckon
