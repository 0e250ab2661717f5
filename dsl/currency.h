// Currency: ISO 4217 codes and their minor units (JPY 0, USD 2, BHD 3).
//
// The table holds the active ISO 4217 codes. Lookup is exact (upper case).
#pragma once

#include <optional>
#include <string_view>

namespace reckon {

struct Currency {
  std::string_view code;  // "USD"
  int minor_units;        // digits after the decimal point
};

// nullopt for a code that is not an active ISO 4217 currency.
std::optional<Currency> FindCurrency(std::string_view code);

}  // namespace reckon
