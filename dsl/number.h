// Number: the one exact numeric type for money and metrics.
//
// A Number is an exact rational (Boost.Multiprecision cpp_rational). It is
// only ever built from decimal text, integers or other Numbers -- never from
// binary floating point. Rounding happens only where a caller asks for it,
// with an explicit RoundingMode.
//
// Accepted decimal text (Parse): an optional leading '-', one or more ASCII
// digits, optionally '.' followed by one or more digits. Nothing else: no
// '+', no exponent ("1e5"), no hex ("0x10"), no comma ("1,5"), no spaces, no
// "NaN"/"inf", no empty string, no ".5" or "5.". At most kMaxNumberTextLength
// characters.
#pragma once

#include <boost/multiprecision/cpp_int.hpp>

#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace reckon {

inline constexpr size_t kMaxNumberTextLength = 64;
// Metrics print exactly when they terminate within this many decimals.
inline constexpr int kMetricDigits = 18;
// The largest exact value settlement computes with: a numerator or a
// denominator of more than this many bits is "too large" (Oversized). Exact
// sums of values near the bound stay fast enough for a month of records;
// decimal inputs (kMaxNumberTextLength) and their sums stay far below it.
inline constexpr size_t kMaxNumberBits = 512;

enum class RoundingMode { kHalfEven, kHalfUp, kDown, kUp };

// "half-even" | "half-up" | "down" | "up"
std::optional<RoundingMode> ParseRoundingMode(std::string_view name);
std::string_view RoundingModeName(RoundingMode mode);

class Number {
 public:
  using Rational = boost::multiprecision::cpp_rational;

  Number() = default;  // zero
  explicit Number(const Rational& r) : r_(r) {}
  static Number FromInt(int64_t v) { return Number(Rational(v)); }

  // Strict decimal text, see the file comment. nullopt when not accepted.
  static std::optional<Number> Parse(std::string_view text);

  Number operator+(const Number& o) const { return Number(r_ + o.r_); }
  Number operator-(const Number& o) const { return Number(r_ - o.r_); }
  Number operator*(const Number& o) const { return Number(r_ * o.r_); }
  Number operator-() const { return Number(-r_); }
  Number& operator+=(const Number& o) { r_ += o.r_; return *this; }
  // Exact division; nullopt when o is zero (the caller decides: "undefined").
  std::optional<Number> Div(const Number& o) const;

  bool operator==(const Number& o) const { return r_ == o.r_; }
  std::strong_ordering operator<=>(const Number& o) const;

  bool is_zero() const;
  bool is_negative() const;
  bool is_integer() const;
  // True when the numerator or the denominator has more than kMaxNumberBits
  // bits. Cheap: compares limb counts, nothing is computed.
  bool Oversized() const;
  Number Abs() const;
  Number Floor() const;
  Number Ceil() const;
  // Round to `digits` decimal places (digits >= 0) with `mode`.
  // half-even: ties to the even last digit; half-up: ties away from zero;
  // down: toward zero; up: away from zero.
  Number Round(int digits, RoundingMode mode) const;

  // Rounds with `mode`, then prints exactly `digits` fraction digits
  // ("-645.48", "0.00", "12" for digits == 0). Never prints "-0.00".
  std::string ToFixed(int digits, RoundingMode mode) const;
  // Exact decimal when the value terminates within max_digits decimals
  // (trailing zeros trimmed: "0.67", "33500", "-1.5"), otherwise rounded
  // half-even to max_digits decimals.
  std::string ToString(int max_digits = kMetricDigits) const;

  // The value as int64 when it is an integer that fits.
  std::optional<int64_t> ToInt64() const;
  const Rational& rational() const { return r_; }

 private:
  Rational r_;
};

}  // namespace reckon
