// Ed25519 signing key and signature (see signing.h).
#include "engine/export/signing.h"

#include <fmt/format.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/objects.h>
#include <openssl/pem.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace reckon {

namespace {
constexpr size_t kMaxEd25519SignatureBytes = 64;

// Refuses encrypted keys instead of prompting on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }
}  // namespace

Result<SigningKey> LoadSigningKey(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Invalid(fmt::format("--sign {}: cannot read the key file: {}", path, std::strerror(errno)));
  std::string pem(kMaxSigningKeyBytes + 1, '\0');
  f.read(pem.data(), std::streamsize(pem.size()));
  pem.resize(size_t(f.gcount()));
  if (pem.size() > kMaxSigningKeyBytes)
    return Status::Invalid(fmt::format("--sign {}: the file is larger than {} bytes; it is not a PEM Ed25519 private key", path,
                                       kMaxSigningKeyBytes));
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  if (!bio) return Status::Io("out of memory reading the signing key");
  SigningKey key(PEM_read_bio_PrivateKey(bio, nullptr, NoPassword, nullptr));
  BIO_free(bio);
  ERR_clear_error();
  if (!key)
    return Status::Invalid(fmt::format("--sign {}: not an unencrypted PEM private key; make one with "
                                       "'openssl genpkey -algorithm ed25519 -out key.pem'",
                                       path));
  if (EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return Status::Invalid(fmt::format("--sign {}: the key is {}, not Ed25519; make one with 'openssl genpkey -algorithm ed25519 -out key.pem'",
                                       path, OBJ_nid2sn(EVP_PKEY_id(key.get()))));
  return key;
}

Result<std::string> SignEd25519(EVP_PKEY* key, std::string_view message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return Status::Io("out of memory signing the manifest");
  std::string sig(kMaxEd25519SignatureBytes, '\0');
  size_t len = sig.size();
  bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
            EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  if (!ok) return Status::Io("signing the manifest with the Ed25519 key failed");
  sig.resize(len);
  return sig;
}

}  // namespace reckon
