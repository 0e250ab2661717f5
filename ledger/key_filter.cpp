// KeyFilter's stored bytes (see key_filter.h).
#include "ledger/key_filter.h"

#include <sys/mman.h>

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

void KeyFilterSet::Append(const std::vector<KeyFilter>& more) {
  if (more.empty()) return;
  const size_t blocks = size_t(1) << kKeyFilterBlockBits, next = gens_ + more.size();
  FilterWords words(blocks * next * 8);
  for (size_t b = 0; b < blocks; ++b) {
    uint64_t* to = &words[b * next * 8];
    const uint64_t* from = gens_ ? &words_[b * gens_ * 8] : nullptr;
    for (size_t w = 0; w < gens_ * 8; ++w) to[w] = from[w];
    for (size_t g = 0; g < more.size(); ++g)
      for (int i = 0; i < 8; ++i) to[(gens_ + g) * 8 + size_t(i)] = more[g].word(b, i);
  }
  words_ = std::move(words);
  gens_ = next;
}

}  // namespace reckon
