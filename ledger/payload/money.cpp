// Money text parsing (see money.h).
#include "ledger/payload/money.h"

#include <fmt/format.h>

namespace reckon {

Result<Money> Money::Parse(std::string_view text, Currency currency) {
  auto bad = [&]() {
    return Status::Invalid(fmt::format("'{}' is not a {} amount with exactly {} decimal(s)", text.substr(0, 40), currency.code,
                                       currency.minor_units));
  };
  auto n = Number::Parse(text);
  if (!n) return bad();
  size_t dot = text.find('.');
  size_t digits = dot == std::string_view::npos ? 0 : text.size() - dot - 1;
  if (int(digits) != currency.minor_units) return bad();
  if (text == "-0" || (text.size() > 1 && text.substr(0, 2) == "-0" && n->is_zero())) return bad();  // never "-0.00"
  return Money(*n, currency);
}

}  // namespace reckon
