// Money: an exact amount in one currency, always printed with exactly the
// currency's minor digits ("-645.48" in USD, "12" in JPY, "1.250" in BHD).
//
// Invariant: the amount is a multiple of the currency's minor unit (it was
// rounded once, where docs/contract-language.md says), so Text() never
// rounds. Parse accepts only that form: a stored money text with another
// number of digits is an integrity error, not something to round.
#pragma once

#include "dsl/currency.h"
#include "dsl/number.h"
#include "dsl/status.h"

#include <string>
#include <string_view>

namespace reckon {

class Money {
 public:
  Money() = default;  // 0 of no currency: only as a placeholder before assignment
  Money(Number amount, Currency currency) : amount_(std::move(amount)), currency_(currency) {}
  static Money Zero(Currency c) { return Money(Number(), c); }

  // "-?digits(.digits)?" with exactly currency.minor_units fraction digits
  // (none and no point for a currency without minor units).
  static Result<Money> Parse(std::string_view text, Currency currency);

  const Number& amount() const { return amount_; }
  const Currency& currency() const { return currency_; }
  std::string Text() const { return amount_.ToFixed(currency_.minor_units, RoundingMode::kHalfEven); }

  Money operator+(const Money& o) const { return Money(amount_ + o.amount_, currency_); }
  Money operator-(const Money& o) const { return Money(amount_ - o.amount_, currency_); }
  Money& operator+=(const Money& o) { amount_ += o.amount_; return *this; }
  bool operator==(const Money& o) const { return amount_ == o.amount_ && currency_.code == o.currency_.code; }

 private:
  Number amount_;
  Currency currency_{"", 0};
};

}  // namespace reckon
