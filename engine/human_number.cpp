// Thousands separators (see human_number.h).
#include "engine/human_number.h"

namespace reckon {

std::string GroupThousands(std::string_view decimal) {
  size_t start = (!decimal.empty() && (decimal[0] == '-' || decimal[0] == '+')) ? 1 : 0;
  size_t end = decimal.find('.');
  if (end == std::string_view::npos) end = decimal.size();
  if (end <= start) return std::string(decimal);
  for (size_t i = start; i < decimal.size(); ++i) {
    char c = decimal[i];
    if (!((c >= '0' && c <= '9') || (c == '.' && i == end))) return std::string(decimal);
  }
  std::string out(decimal.substr(0, start));
  size_t digits = end - start;
  for (size_t i = 0; i < digits; ++i) {
    if (i > 0 && (digits - i) % 3 == 0) out += ',';
    out += decimal[start + i];
  }
  out += decimal.substr(end);
  return out;
}

}  // namespace reckon
