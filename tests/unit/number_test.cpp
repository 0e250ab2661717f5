// Unit tests for dsl/number: strict parsing, exact arithmetic, rounding modes
// and decimal printing.
#include "dsl/number.h"

#include <catch2/catch.hpp>

#include <string>

using reckon::Number;
using reckon::RoundingMode;

namespace {

Number N(const char* text) {
  auto n = Number::Parse(text);
  REQUIRE(n.has_value());
  return *n;
}

std::string Fixed(const char* text, int digits, RoundingMode mode) { return N(text).ToFixed(digits, mode); }

}  // namespace

TEST_CASE("number: parse accepts strict decimals", "[number]") {
  for (const char* ok : {"0.99", "-645.48", "007", "1200", "0.0125", "0", "-0", "0.000", "123456789012345678901234567890.5"}) {
    INFO(ok);
    CHECK(Number::Parse(ok).has_value());
  }
  CHECK(N("0.99") == Number(Number::Rational(99, 100)));
  CHECK(N("-645.48") == Number(Number::Rational(-64548, 100)));
  CHECK(N("007") == Number::FromInt(7));
  CHECK(N("1200") == Number::FromInt(1200));
  CHECK(N("0.0125") == Number(Number::Rational(1, 80)));
  CHECK(N("-0") == Number());
  CHECK(N("-0").ToString() == "0");
  CHECK(N("123456789012345678901234567890.5").ToString() == "123456789012345678901234567890.5");
  CHECK(N("00000000000000000000000000000000000000000000000000000000000000.1").ToString() == "0.1");
}

TEST_CASE("number: parse rejects everything else", "[number]") {
  for (const char* bad : {"1e5", "0x10", "1,5", "", "NaN", "nan", "inf", "-inf", "Infinity", "+1", ".5", "5.", " 1",
                          "1 ", "--1", "-", "-.5", "1.2.3", "1_000", "١", "0b1", "1.5e-3", "\t1", "1\n", "- 1"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(Number::Parse(bad).has_value());
  }
  std::string longest(reckon::kMaxNumberTextLength, '9');
  CHECK(Number::Parse(longest).has_value());
  CHECK_FALSE(Number::Parse(longest + "9").has_value());
  CHECK_FALSE(Number::Parse(std::string_view("1\0", 2)).has_value());
}

TEST_CASE("number: arithmetic is exact", "[number]") {
  CHECK(N("0.1") + N("0.2") == N("0.3"));
  CHECK_FALSE(N("0.1") + N("0.2") > N("0.3"));
  CHECK(N("0.3") - N("0.1") == N("0.2"));
  CHECK(N("10") * N("0.0125") == N("0.125"));
  CHECK(N("33500") * N("0.99") == N("33165"));
  auto third = N("1").Div(N("3"));
  REQUIRE(third.has_value());
  CHECK(*third + *third + *third == N("1"));
  CHECK_FALSE(N("1").Div(N("0")).has_value());
  CHECK_FALSE(N("1").Div(N("0.000")).has_value());
  Number acc;
  for (int i = 0; i < 10; ++i) acc += N("0.1");
  CHECK(acc == N("1"));
  CHECK(-N("2.5") == N("-2.5"));
}

TEST_CASE("number: comparison and predicates", "[number]") {
  CHECK(N("0.67") < N("0.670001"));
  CHECK(N("-1") < N("0"));
  CHECK(N("2") >= N("2.000"));
  CHECK((N("1.5") <=> N("1.50")) == std::strong_ordering::equal);
  CHECK(N("0.000").is_zero());
  CHECK(N("-0.01").is_negative());
  CHECK_FALSE(N("0").is_negative());
  CHECK(N("12.000").is_integer());
  CHECK_FALSE(N("12.5").is_integer());
  CHECK(N("-3.5").Abs() == N("3.5"));
  CHECK(N("2.1").Floor() == N("2"));
  CHECK(N("-2.1").Floor() == N("-3"));
  CHECK(N("-2").Floor() == N("-2"));
  CHECK(N("2.1").Ceil() == N("3"));
  CHECK(N("-2.1").Ceil() == N("-2"));
  CHECK(N("3").Ceil() == N("3"));
  // ceil((67% - 65.2%) * 100) from spec section 9 = 2 points
  CHECK((N("0.67") - N("0.652")) * N("100") == N("1.8"));
  CHECK(((N("0.67") - N("0.652")) * N("100")).Ceil() == N("2"));
}

TEST_CASE("number: ToInt64", "[number]") {
  CHECK(N("42").ToInt64() == 42);
  CHECK(N("-42.000").ToInt64() == -42);
  CHECK_FALSE(N("4.2").ToInt64().has_value());
  CHECK(N("9223372036854775807").ToInt64() == INT64_MAX);
  CHECK(N("-9223372036854775808").ToInt64() == INT64_MIN);
  CHECK_FALSE(N("9223372036854775808").ToInt64().has_value());
  CHECK_FALSE(N("-9223372036854775809").ToInt64().has_value());
}

TEST_CASE("number: rounding mode names", "[number]") {
  for (auto mode : {RoundingMode::kHalfEven, RoundingMode::kHalfUp, RoundingMode::kDown, RoundingMode::kUp}) {
    auto back = reckon::ParseRoundingMode(reckon::RoundingModeName(mode));
    REQUIRE(back.has_value());
    CHECK(*back == mode);
  }
  CHECK(reckon::RoundingModeName(RoundingMode::kHalfEven) == "half-even");
  CHECK_FALSE(reckon::ParseRoundingMode("HALF-EVEN").has_value());
  CHECK_FALSE(reckon::ParseRoundingMode("bankers").has_value());
  CHECK_FALSE(reckon::ParseRoundingMode("").has_value());
}

TEST_CASE("number: rounding half-even and half-up at ties (spec section 9)", "[number]") {
  const Number fee = N("10") * N("0.0125");  // 0.125
  CHECK(fee.ToFixed(2, RoundingMode::kHalfEven) == "0.12");
  CHECK(fee.ToFixed(2, RoundingMode::kHalfUp) == "0.13");
  CHECK(fee.Round(2, RoundingMode::kHalfEven) == N("0.12"));
  CHECK(fee.Round(2, RoundingMode::kHalfUp) == N("0.13"));
  CHECK(Fixed("0.135", 2, RoundingMode::kHalfEven) == "0.14");
  CHECK(Fixed("0.135", 2, RoundingMode::kHalfUp) == "0.14");
  CHECK(Fixed("0.145", 2, RoundingMode::kHalfEven) == "0.14");
  CHECK(Fixed("-0.125", 2, RoundingMode::kHalfUp) == "-0.13");
  CHECK(Fixed("-0.125", 2, RoundingMode::kHalfEven) == "-0.12");
  CHECK(Fixed("-0.135", 2, RoundingMode::kHalfEven) == "-0.14");
  CHECK(Fixed("2.5", 0, RoundingMode::kHalfEven) == "2");
  CHECK(Fixed("3.5", 0, RoundingMode::kHalfEven) == "4");
  CHECK(Fixed("-2.5", 0, RoundingMode::kHalfEven) == "-2");
  CHECK(Fixed("2.5", 0, RoundingMode::kHalfUp) == "3");
  CHECK(Fixed("-2.5", 0, RoundingMode::kHalfUp) == "-3");
  // Just off the tie goes to the nearer value in both modes.
  CHECK(Fixed("0.1250001", 2, RoundingMode::kHalfEven) == "0.13");
  CHECK(Fixed("0.1249999", 2, RoundingMode::kHalfUp) == "0.12");
  CHECK(Fixed("-0.1250001", 2, RoundingMode::kHalfEven) == "-0.13");
  // A tie that only shows exactly: 1/8 = 0.125
  CHECK(Number(Number::Rational(1, 8)).ToFixed(2, RoundingMode::kHalfEven) == "0.12");
  CHECK(Number(Number::Rational(3, 8)).ToFixed(2, RoundingMode::kHalfEven) == "0.38");
  // Not a tie: 1/3
  CHECK(Number(Number::Rational(1, 3)).ToFixed(2, RoundingMode::kHalfUp) == "0.33");
  CHECK(Number(Number::Rational(2, 3)).ToFixed(2, RoundingMode::kHalfEven) == "0.67");
  CHECK(Number(Number::Rational(-2, 3)).ToFixed(2, RoundingMode::kHalfEven) == "-0.67");
}

TEST_CASE("number: rounding down and up", "[number]") {
  CHECK(Fixed("0.129", 2, RoundingMode::kDown) == "0.12");
  CHECK(Fixed("0.121", 2, RoundingMode::kUp) == "0.13");
  CHECK(Fixed("-0.129", 2, RoundingMode::kDown) == "-0.12");  // toward zero
  CHECK(Fixed("-0.121", 2, RoundingMode::kUp) == "-0.13");    // away from zero
  CHECK(Fixed("0.12", 2, RoundingMode::kUp) == "0.12");       // exact stays
  CHECK(Fixed("-0.12", 2, RoundingMode::kDown) == "-0.12");
  CHECK(Fixed("0.125", 2, RoundingMode::kDown) == "0.12");
  CHECK(Fixed("0.125", 2, RoundingMode::kUp) == "0.13");
  CHECK(Fixed("-0.125", 2, RoundingMode::kUp) == "-0.13");
  CHECK(Fixed("-0.125", 2, RoundingMode::kDown) == "-0.12");
  CHECK(Fixed("0.0000001", 2, RoundingMode::kUp) == "0.01");
  CHECK(Fixed("-0.0000001", 2, RoundingMode::kUp) == "-0.01");
  CHECK(N("7.999").Round(0, RoundingMode::kDown) == N("7"));
  CHECK(N("-7.999").Round(0, RoundingMode::kDown) == N("-7"));
  CHECK(N("7.001").Round(0, RoundingMode::kUp) == N("8"));
  CHECK(N("-7.001").Round(0, RoundingMode::kUp) == N("-8"));
}

TEST_CASE("number: ToFixed prints exactly the requested digits", "[number]") {
  CHECK(Fixed("-645.48", 2, RoundingMode::kHalfEven) == "-645.48");
  CHECK(Fixed("33165", 2, RoundingMode::kHalfEven) == "33165.00");
  CHECK(Fixed("0", 2, RoundingMode::kHalfEven) == "0.00");
  CHECK(Fixed("0.5", 3, RoundingMode::kHalfEven) == "0.500");
  CHECK(Fixed("12", 0, RoundingMode::kHalfEven) == "12");
  CHECK(Fixed("0.001", 1, RoundingMode::kHalfEven) == "0.0");
  // Never "-0.00".
  CHECK(Fixed("-0.001", 2, RoundingMode::kHalfEven) == "0.00");
  CHECK(Fixed("-0.004", 2, RoundingMode::kHalfUp) == "0.00");
  CHECK(Fixed("-0.009", 2, RoundingMode::kDown) == "0.00");
  CHECK(Fixed("-0", 2, RoundingMode::kHalfEven) == "0.00");
  CHECK(Fixed("-0.4", 0, RoundingMode::kHalfEven) == "0");
  CHECK(Fixed("-0.5", 0, RoundingMode::kHalfEven) == "0");
  CHECK(Fixed("-0.5", 0, RoundingMode::kHalfUp) == "-1");
  // JPY: 0 minor digits.
  CHECK(Fixed("1234.5", 0, RoundingMode::kHalfEven) == "1234");
  CHECK(Fixed("1235.5", 0, RoundingMode::kHalfEven) == "1236");
  CHECK(Fixed("1234.5", 0, RoundingMode::kHalfUp) == "1235");
  CHECK(Fixed("-1234.5", 0, RoundingMode::kHalfUp) == "-1235");
  // BHD: 3 minor digits.
  CHECK(Fixed("1.2345", 3, RoundingMode::kHalfEven) == "1.234");
  CHECK(Fixed("1.2345", 3, RoundingMode::kHalfUp) == "1.235");
  CHECK(Fixed("12", 3, RoundingMode::kHalfEven) == "12.000");
  CHECK(Fixed("-0.0005", 3, RoundingMode::kHalfUp) == "-0.001");
  CHECK(Fixed("-0.0005", 3, RoundingMode::kHalfEven) == "0.000");
  // Spec section 9 amounts.
  CHECK((N("32600") * N("0.99")).ToFixed(2, RoundingMode::kHalfEven) == "32274.00");
  CHECK((N("0.02") * N("32274")).ToFixed(2, RoundingMode::kHalfEven) == "645.48");
  CHECK((N("0.05") * N("40590")).ToFixed(2, RoundingMode::kHalfEven) == "2029.50");
  // Large values stay exact.
  CHECK(Fixed("123456789012345678901234567890.125", 2, RoundingMode::kHalfEven) ==
        "123456789012345678901234567890.12");
}

TEST_CASE("number: ToString exact or rounded to 18 places", "[number]") {
  CHECK(N("0.67").ToString() == "0.67");
  CHECK(N("0.670").ToString() == "0.67");
  CHECK(N("33500").ToString() == "33500");
  CHECK(N("-1.50").ToString() == "-1.5");
  CHECK(N("0").ToString() == "0");
  CHECK(N("0.652").ToString() == "0.652");
  CHECK(Number(Number::Rational(33500, 50000)).ToString() == "0.67");
  CHECK(Number(Number::Rational(1, 3)).ToString() == "0.333333333333333333");
  CHECK(Number(Number::Rational(2, 3)).ToString() == "0.666666666666666667");
  CHECK(Number(Number::Rational(-2, 3)).ToString() == "-0.666666666666666667");
  CHECK(Number(Number::Rational(10, 3)).ToString() == "3.333333333333333333");
  // Terminates exactly at 18 places: printed exactly.
  CHECK(N("0.000000000000000001").ToString() == "0.000000000000000001");
  // Terminates, but beyond 18 places: rounded half-even to 18, zeros trimmed.
  CHECK(N("0.0000000000000000015").ToString() == "0.000000000000000002");
  CHECK(N("0.0000000000000000025").ToString() == "0.000000000000000002");
  CHECK(N("0.0000000000000000004").ToString() == "0");
  CHECK(N("-0.0000000000000000004").ToString() == "0");
  CHECK(N("1.1000000000000000001").ToString() == "1.1");
  // 1/7 rounded, and 1/6 whose rounding carries a trailing digit.
  CHECK(Number(Number::Rational(1, 7)).ToString() == "0.142857142857142857");
  CHECK(Number(Number::Rational(1, 6)).ToString() == "0.166666666666666667");
  // Custom precision.
  CHECK(Number(Number::Rational(1, 3)).ToString(2) == "0.33");
  CHECK(N("0.125").ToString(2) == "0.12");
  CHECK(N("0.125").ToString(3) == "0.125");
  CHECK(N("2.5").ToString(0) == "2");
  CHECK(Number(Number::Rational(1, 1024)).ToString() == "0.0009765625");
}

TEST_CASE("number: Oversized marks values beyond kMaxNumberBits bits", "[number]") {
  using Int = boost::multiprecision::cpp_int;
  const Int two = 2;
  const Int at_limit = boost::multiprecision::pow(two, unsigned(reckon::kMaxNumberBits)) - 1;  // kMaxNumberBits bits
  const Int above = at_limit + 1;                                                               // one bit more
  CHECK_FALSE(Number().Oversized());
  CHECK_FALSE(N("-1234567890123456789012345678901234567890123456789012345678.0001").Oversized());
  CHECK_FALSE(Number(Number::Rational(at_limit)).Oversized());
  CHECK_FALSE(Number(Number::Rational(Int(1), at_limit)).Oversized());
  CHECK_FALSE(Number(Number::Rational(-at_limit)).Oversized());
  CHECK(Number(Number::Rational(above)).Oversized());
  CHECK(Number(Number::Rational(-above)).Oversized());
  CHECK(Number(Number::Rational(Int(1), above)).Oversized());
  // The largest decimal text and its square stay far below the bound.
  Number big = N("9999999999999999999999999999999.99999999999999999999999999999999");
  CHECK_FALSE((big * big).Oversized());
  CHECK_FALSE((Number::FromInt(1).Div(big)->Div(big))->Oversized());
}
