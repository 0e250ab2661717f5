// GroupThousands: separators for people, never for machines.
#include "engine/human_number.h"

#include <catch2/catch.hpp>

using reckon::GroupThousands;

TEST_CASE("human numbers: thousands separators in the integer part only") {
  CHECK(GroupThousands("0.00") == "0.00");
  CHECK(GroupThousands("999.99") == "999.99");
  CHECK(GroupThousands("1000") == "1,000");
  CHECK(GroupThousands("12398.23") == "12,398.23");
  CHECK(GroupThousands("-1031.86") == "-1,031.86");
  CHECK(GroupThousands("1234567.891234") == "1,234,567.891234");
  CHECK(GroupThousands("-100") == "-100");
}

TEST_CASE("human numbers: text that is not a plain decimal is left alone") {
  CHECK(GroupThousands("undefined") == "undefined");
  CHECK(GroupThousands("") == "");
  CHECK(GroupThousands("-") == "-");
  CHECK(GroupThousands("12a45") == "12a45");
  CHECK(GroupThousands("1.2.3") == "1.2.3");
}
