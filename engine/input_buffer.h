// InputBuffer: the fixed-size read buffer shared by the CSV and JSONL readers,
// plus the UTF-8 check both use. Internal to engine/*_reader.cpp.
//
// Invariants: the buffer is allocated once (kMaxLineBytes + kChunkBytes +
// padding) and never grows, so memory does not depend on the input size.
// [data(), data()+size()) are the bytes read but not yet consumed; the byte at
// data()+size() is always a '\n' sentinel so scanners can stop on it without a
// bounds check in their inner loop (they must compare against the end when they
// stop). Fill() keeps the unconsumed bytes (moving them to the front) and reads
// more, in chunks of at least kChunkBytes whenever size() <= kMaxLineBytes + 1,
// so any row of at most kMaxLineBytes bytes plus its line break fits. The
// total number of bytes read is capped at kMaxFileBytes (for pipes and stdin,
// where fstat cannot tell the size up front).
#pragma once

#include "dsl/status.h"
#include "engine/row_reader.h"

#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>

namespace reckon::internal {

inline constexpr size_t kChunkBytes = size_t(1) << 20;

class InputBuffer {
 public:
  static constexpr size_t kCapacity = kMaxLineBytes + kChunkBytes + 64;

  InputBuffer(std::FILE* f, bool owns) : f_(f), owns_(owns), buf_(new char[kCapacity + 1]) {
    buf_[0] = '\n';
  }
  ~InputBuffer() {
    if (owns_ && f_ != nullptr) std::fclose(f_);
  }
  InputBuffer(const InputBuffer&) = delete;
  InputBuffer& operator=(const InputBuffer&) = delete;

  const char* data() const { return buf_.get() + begin_; }
  size_t size() const { return end_ - begin_; }
  // True when the stream has no more bytes: what is buffered is all there is.
  bool eof() const { return eof_; }
  void Consume(size_t n) { begin_ += n; }

  // Reads more bytes after the unconsumed ones. Returns kIo on a read error,
  // kInvalidInput when the input exceeds kMaxFileBytes. At end of input it
  // sets eof() and returns ok.
  Status Fill(const std::string& name) {
    if (eof_) return Status::Ok();
    if (begin_ > 0) {
      std::memmove(buf_.get(), buf_.get() + begin_, size());
      end_ -= begin_;
      begin_ = 0;
    }
    const size_t room = kCapacity - end_;
    size_t n = std::fread(buf_.get() + end_, 1, room, f_);
    end_ += n;
    buf_[end_] = '\n';
    total_ += int64_t(n);
    if (n < room) {
      if (std::ferror(f_)) {
        int e = errno;
        return Status::Io("cannot read '" + name + "': " + std::strerror(e != 0 ? e : EIO));
      }
      eof_ = true;
    }
    if (total_ > kMaxFileBytes) {
      return Status::Invalid("'" + name + "' is larger than the limit of " +
                             std::to_string(kMaxFileBytes) + " bytes per input file");
    }
    return Status::Ok();
  }

 private:
  std::FILE* f_;
  bool owns_;
  std::unique_ptr<char[]> buf_;
  size_t begin_ = 0;
  size_t end_ = 0;
  int64_t total_ = 0;
  bool eof_ = false;
};

// Length of the valid UTF-8 sequence starting at p (whose first byte is >=
// 0x80), 0 when it is invalid (stray continuation byte, overlong form,
// surrogate, above U+10FFFF, bad continuation), -1 when it is cut off by `end`
// (valid so far; more bytes are needed to decide).
inline int Utf8SeqLen(const char* p, const char* end) {
  const auto* s = reinterpret_cast<const unsigned char*>(p);
  const size_t avail = size_t(end - p);
  unsigned c = s[0];
  int n;
  unsigned lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;        // no overlongs
    if (c == 0xED) hi = 0x9F;        // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;        // no overlongs
    if (c == 0xF4) hi = 0x8F;        // <= U+10FFFF
  } else {
    return 0;
  }
  for (int i = 1; i < n; ++i) {
    if (size_t(i) >= avail) return -1;
    unsigned b = s[i];
    if (i == 1 ? (b < lo || b > hi) : (b < 0x80 || b > 0xBF)) return 0;
  }
  return n;
}

// "0xFF"
inline std::string HexByte(unsigned char c) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string s = "0x";
  s += kHex[c >> 4];
  s += kHex[c & 15];
  return s;
}

}  // namespace reckon::internal
