// CSV cells: RFC 4180 quoting (rejects files keep rows verbatim) and, for what
// people open in spreadsheets, protection against formula injection
// (docs/export.md, "CSV escaping").
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>

namespace reckon {

// RFC 4180: the text in double quotes, inner quotes doubled, when it contains a
// comma, a double quote, a CR or an LF; else the text as it is.
std::string CsvCell(std::string_view text);

// A plain decimal number (-?digits[.digits]) is kept as is; any other text
// starting with = + - @ ', a tab or a CR gets a leading apostrophe (so that
// stripping one leading apostrophe from such a cell always gives the text
// back: the escaping is injective); then RFC 4180 quoting when the cell
// contains a comma, a double quote, a CR or an LF.
std::string SpreadsheetCsvCell(std::string_view text);

// One CSV line of such cells, ending in "\n".
std::string SpreadsheetCsvRow(std::initializer_list<std::string_view> cells);

}  // namespace reckon
