// Formula-safe CSV cells (see csv_cell.h).
#include "engine/csv_cell.h"

namespace reckon {

namespace {

bool IsPlainDecimal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  size_t frac = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac;
  return frac > 0 && i == s.size();
}

bool NeedsApostrophe(std::string_view text) {
  if (text.empty() || IsPlainDecimal(text)) return false;
  switch (text[0]) {
    case '=': case '+': case '-': case '@': case '\t': case '\r': case '\'': return true;
    default: return false;
  }
}

}  // namespace

std::string CsvCell(std::string_view text) {
  if (text.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(text);
  std::string q = "\"";
  for (char c : text) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string SpreadsheetCsvCell(std::string_view text) {
  if (!NeedsApostrophe(text)) return CsvCell(text);
  return CsvCell("'" + std::string(text));
}

std::string SpreadsheetCsvRow(std::initializer_list<std::string_view> cells) {
  std::string out;
  bool first = true;
  for (auto c : cells) {
    if (!first) out += ',';
    first = false;
    out += SpreadsheetCsvCell(c);
  }
  out += '\n';
  return out;
}

}  // namespace reckon
