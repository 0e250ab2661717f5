// KeyFilter's stored bytes (see key_filter.h).
#include "ledger/key_filter.h"

#include <sys/mman.h>

#include <algorithm>
#include <new>
#include <string>

namespace reckon {

template <class T>
T* HugePageAllocator<T>::allocate(size_t n) {
  constexpr size_t kHuge = size_t(2) << 20;
  const size_t bytes = n * sizeof(T);
  void* p = nullptr;
  if (bytes >= kHuge) {
    if (posix_memalign(&p, kHuge, (bytes + kHuge - 1) / kHuge * kHuge) != 0) throw std::bad_alloc();
    (void)madvise(p, bytes, MADV_HUGEPAGE);  // a hint: without it, ordinary pages
  } else if (!(p = std::malloc(bytes ? bytes : 1))) {
    throw std::bad_alloc();
  }
  return static_cast<T*>(p);
}
template struct HugePageAllocator<uint64_t>;

std::string KeyFilter::Bytes() const {
  std::string out(kKeyFilterBytes, '\0');
  for (size_t w = 0; w < words_.size(); ++w)
    for (int b = 0; b < 8; ++b) out[w * 8 + b] = char(uint8_t(words_[w] >> (8 * b)));
  return out;
}

bool KeyFilter::Read(std::string_view bytes) {
  if (bytes.size() != kKeyFilterBytes) return false;
  for (size_t w = 0; w < words_.size(); ++w) {
    uint64_t v = 0;
    for (int b = 7; b >= 0; --b) v = (v << 8) | uint8_t(bytes[w * 8 + b]);
    words_[w] = v;
  }
  return true;
}

bool KeyFilterSet::Append(size_t count, const std::function<std::string_view(size_t i)>& bytes) {
  if (count == 0) return true;
  const size_t blocks = size_t(1) << kKeyFilterBlockBits, next = gens_ + count;
  FilterWords words(blocks * next * 8);
  for (size_t b = 0; gens_ && b < blocks; ++b) {
    const uint64_t* from = &words_[b * gens_ * 8];
    std::copy(from, from + gens_ * 8, &words[b * next * 8]);
  }
  for (size_t i = 0; i < count; ++i) {
    const std::string_view stored = bytes(i);
    if (stored.size() != kKeyFilterBytes) return false;
    const auto* in = reinterpret_cast<const unsigned char*>(stored.data());
    uint64_t* to = &words[(gens_ + i) * 8];
    for (size_t b = 0; b < blocks; ++b, to += next * 8)
      for (size_t w = 0; w < 8; ++w, in += 8) {
        uint64_t v = 0;
        for (int k = 7; k >= 0; --k) v = (v << 8) | in[k];
        to[w] = v;
      }
  }
  words_ = std::move(words);
  gens_ = next;
  return true;
}

}  // namespace reckon
