// Unit tests for dsl/currency: ISO 4217 lookups and minor units.
#include "dsl/currency.h"

#include <catch2/catch.hpp>

using reckon::FindCurrency;

namespace {
int Minor(const char* code) {
  auto c = FindCurrency(code);
  REQUIRE(c.has_value());
  CHECK(c->code == code);
  return c->minor_units;
}
}  // namespace

TEST_CASE("currency: common codes and their minor units", "[currency]") {
  CHECK(Minor("USD") == 2);
  CHECK(Minor("EUR") == 2);
  CHECK(Minor("GBP") == 2);
  CHECK(Minor("CHF") == 2);
  CHECK(Minor("CNY") == 2);
  CHECK(Minor("INR") == 2);
  CHECK(Minor("HUF") == 2);
  CHECK(Minor("IDR") == 2);
}

TEST_CASE("currency: zero, three and four minor digits", "[currency]") {
  for (const char* zero : {"JPY", "ISK", "KRW", "VND", "CLP", "PYG", "UGX", "XAF", "XOF", "XPF", "BIF", "DJF", "GNF",
                           "KMF", "RWF", "VUV", "UYI"}) {
    INFO(zero);
    CHECK(Minor(zero) == 0);
  }
  for (const char* three : {"BHD", "KWD", "JOD", "OMR", "TND", "LYD", "IQD"}) {
    INFO(three);
    CHECK(Minor(three) == 3);
  }
  CHECK(Minor("CLF") == 4);
  CHECK(Minor("UYW") == 4);
}

TEST_CASE("currency: recent codes are present", "[currency]") {
  CHECK(Minor("SLE") == 2);
  CHECK(Minor("VED") == 2);
  CHECK(Minor("VES") == 2);
  CHECK(Minor("ZWG") == 2);
  CHECK(Minor("XCG") == 2);
  CHECK(Minor("MRU") == 2);
  CHECK(Minor("STN") == 2);
}

TEST_CASE("currency: unknown, lower case and malformed codes are refused", "[currency]") {
  for (const char* bad : {"usd", "Usd", "US", "USDX", "", " USD", "XXX", "XAU", "XTS", "HRK", "DEM", "BTC", "ABC"}) {
    INFO("'" << bad << "'");
    CHECK_FALSE(FindCurrency(bad).has_value());
  }
}
