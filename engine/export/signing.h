// Signing: the Ed25519 key that signs an audit bundle's manifest
// (docs/export.md, "Signing"), through OpenSSL.
#pragma once

#include "dsl/status.h"

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

namespace reckon {

inline constexpr size_t kMaxSigningKeyBytes = 16 * 1024;  // a PEM Ed25519 key is ~120 bytes

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using SigningKey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// An unencrypted PEM Ed25519 private key; kInvalidInput with the openssl
// command that makes one otherwise (never prompts for a password).
Result<SigningKey> LoadSigningKey(const std::string& path);

// The raw 64-byte Ed25519 signature of `message`.
Result<std::string> SignEd25519(EVP_PKEY* key, std::string_view message);

}  // namespace reckon
