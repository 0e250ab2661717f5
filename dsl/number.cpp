// Number: exact rational arithmetic, strict decimal parsing, explicit rounding
// and decimal printing for money and metrics.
//
// Invariants: no binary floating point anywhere (no double, float, strtod);
// every value is a reduced boost::multiprecision::cpp_rational with a positive
// denominator. Rounding is done on the rational itself: scale by 10^digits,
// take the truncated integer quotient, and decide from the remainder (ties
// are detected by comparing 2*|remainder| with the denominator). Printing never
// produces "-0" or "-0.00".
#include "dsl/number.h"

#include <array>
#include <limits>

namespace reckon {
namespace {

using Int = boost::multiprecision::cpp_int;
using Rational = Number::Rational;

// 10^n as an exact integer; small powers are precomputed.
const Int& Pow10(int n) {
  static const std::array<Int, 40> kSmall = [] {
    std::array<Int, 40> a;
    Int p = 1;
    for (auto& v : a) {
      v = p;
      p *= 10;
    }
    return a;
  }();
  if (n >= 0 && n < static_cast<int>(kSmall.size())) return kSmall[n];
  thread_local Int big;
  big = boost::multiprecision::pow(Int(10), static_cast<unsigned>(n));
  return big;
}

// The value r rounded to an integer number of 10^-digits units: the returned
// integer q means q / 10^digits.
Int RoundScaled(const Rational& r, int digits, RoundingMode mode) {
  Rational scaled = r * Rational(Pow10(digits));
  Int n = boost::multiprecision::numerator(scaled);
  Int d = boost::multiprecision::denominator(scaled);  // > 0
  Int q = n / d;                                       // truncates toward zero
  Int rem = n - q * d;                                 // same sign as n
  if (rem == 0) return q;
  const int sign = n < 0 ? -1 : 1;
  Int twice = rem < 0 ? Int(-rem * 2) : Int(rem * 2);  // 2*|rem|, compared with d
  bool away = false;                                   // away from zero by one unit?
  switch (mode) {
    case RoundingMode::kDown: away = false; break;
    case RoundingMode::kUp: away = true; break;
    case RoundingMode::kHalfUp: away = twice >= d; break;
    case RoundingMode::kHalfEven:
      if (twice > d) {
        away = true;
      } else if (twice == d) {
        away = boost::multiprecision::bit_test(q < 0 ? Int(-q) : q, 0);  // odd -> go to even
      }
      break;
  }
  if (away) q += sign;
  return q;
}

// Prints q / 10^digits with exactly `digits` fraction digits; never "-0...".
std::string FormatScaled(const Int& q, int digits) {
  std::string s = (q < 0 ? Int(-q) : q).str();
  if (digits > 0) {
    if (s.size() <= static_cast<size_t>(digits)) {
      s.insert(0, static_cast<size_t>(digits) + 1 - s.size(), '0');
    }
    s.insert(s.size() - static_cast<size_t>(digits), 1, '.');
  }
  if (q < 0) s.insert(0, 1, '-');
  return s;
}

// Power of `p` dividing x (x > 0); x is divided out.
int StripFactor(Int& x, unsigned p) {
  int count = 0;
  while (x != 0 && x % p == 0) {
    x /= p;
    ++count;
  }
  return count;
}

}  // namespace

std::optional<RoundingMode> ParseRoundingMode(std::string_view name) {
  if (name == "half-even") return RoundingMode::kHalfEven;
  if (name == "half-up") return RoundingMode::kHalfUp;
  if (name == "down") return RoundingMode::kDown;
  if (name == "up") return RoundingMode::kUp;
  return std::nullopt;
}

std::string_view RoundingModeName(RoundingMode mode) {
  switch (mode) {
    case RoundingMode::kHalfEven: return "half-even";
    case RoundingMode::kHalfUp: return "half-up";
    case RoundingMode::kDown: return "down";
    case RoundingMode::kUp: return "up";
  }
  return "half-even";
}

std::optional<Number> Number::Parse(std::string_view text) {
  if (text.empty() || text.size() > kMaxNumberTextLength) return std::nullopt;
  size_t i = 0;
  bool negative = false;
  if (text[0] == '-') {
    negative = true;
    i = 1;
  }
  // Integer part: one or more digits.
  const size_t int_begin = i;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
  if (i == int_begin) return std::nullopt;
  int frac_digits = 0;
  if (i < text.size()) {
    if (text[i] != '.') return std::nullopt;
    ++i;
    const size_t frac_begin = i;
    while (i < text.size() && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == frac_begin || i != text.size()) return std::nullopt;
    frac_digits = static_cast<int>(i - frac_begin);
  }

  // All digits (without the point) as one integer. Up to 18 digits fit an
  // uint64 exactly; longer texts accumulate into a cpp_int in 18-digit chunks.
  Int mantissa = 0;
  uint64_t chunk = 0;
  int chunk_len = 0;
  for (size_t k = int_begin; k < text.size(); ++k) {
    const char c = text[k];
    if (c == '.') continue;
    chunk = chunk * 10 + static_cast<uint64_t>(c - '0');
    if (++chunk_len == 18) {
      mantissa = mantissa * Pow10(18) + chunk;
      chunk = 0;
      chunk_len = 0;
    }
  }
  if (chunk_len > 0) mantissa = mantissa * Pow10(chunk_len) + chunk;
  if (negative) mantissa = -mantissa;
  if (frac_digits == 0) return Number(Rational(mantissa));
  return Number(Rational(mantissa, Pow10(frac_digits)));
}

std::optional<Number> Number::Div(const Number& o) const {
  if (o.is_zero()) return std::nullopt;
  return Number(r_ / o.r_);
}

std::strong_ordering Number::operator<=>(const Number& o) const {
  // Signs first: comparing with zero or across signs needs no multiplication.
  const int sa = r_.sign(), sb = o.r_.sign();
  if (sa != sb) return sa < sb ? std::strong_ordering::less : std::strong_ordering::greater;
  if (sa == 0) return std::strong_ordering::equal;
  const int c = r_.compare(o.r_);
  if (c < 0) return std::strong_ordering::less;
  if (c > 0) return std::strong_ordering::greater;
  return std::strong_ordering::equal;
}

bool Number::is_zero() const { return r_.is_zero(); }
bool Number::is_negative() const { return r_.sign() < 0; }
bool Number::Oversized() const {
  constexpr size_t kLimbBits = sizeof(boost::multiprecision::limb_type) * 8;
  constexpr size_t kMaxLimbs = (kMaxNumberBits + kLimbBits - 1) / kLimbBits;
  static_assert(kMaxNumberBits % kLimbBits == 0, "the bound is checked by limb count");
  const auto& q = r_.backend().data();
  return q.numerator().backend().size() > kMaxLimbs || q.denominator().backend().size() > kMaxLimbs;
}

bool Number::is_integer() const { return boost::multiprecision::denominator(r_) == 1; }
Number Number::Abs() const { return is_negative() ? Number(-r_) : *this; }

Number Number::Floor() const {
  const Int n = boost::multiprecision::numerator(r_);
  const Int d = boost::multiprecision::denominator(r_);
  Int q = n / d;
  if (n < 0 && q * d != n) q -= 1;
  return Number(Rational(q));
}

Number Number::Ceil() const {
  const Int n = boost::multiprecision::numerator(r_);
  const Int d = boost::multiprecision::denominator(r_);
  Int q = n / d;
  if (n > 0 && q * d != n) q += 1;
  return Number(Rational(q));
}

Number Number::Round(int digits, RoundingMode mode) const {
  if (digits < 0) digits = 0;
  const Int q = RoundScaled(r_, digits, mode);
  if (digits == 0) return Number(Rational(q));
  return Number(Rational(q, Pow10(digits)));
}

std::string Number::ToFixed(int digits, RoundingMode mode) const {
  if (digits < 0) digits = 0;
  return FormatScaled(RoundScaled(r_, digits, mode), digits);
}

std::string Number::ToString(int max_digits) const {
  if (max_digits < 0) max_digits = 0;
  // A reduced fraction terminates in decimal iff its denominator is 2^a * 5^b,
  // and then it needs exactly max(a, b) fraction digits.
  Int rest = boost::multiprecision::denominator(r_);
  const int twos = StripFactor(rest, 2);
  const int fives = StripFactor(rest, 5);
  const int needed = twos > fives ? twos : fives;
  if (rest == 1 && needed <= max_digits) {
    return FormatScaled(RoundScaled(r_, needed, RoundingMode::kDown), needed);
  }
  std::string s = FormatScaled(RoundScaled(r_, max_digits, RoundingMode::kHalfEven), max_digits);
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

std::optional<int64_t> Number::ToInt64() const {
  if (!is_integer()) return std::nullopt;
  const Int n = boost::multiprecision::numerator(r_);
  if (n < Int(std::numeric_limits<int64_t>::min()) || n > Int(std::numeric_limits<int64_t>::max())) {
    return std::nullopt;
  }
  return n.convert_to<int64_t>();
}

}  // namespace reckon
