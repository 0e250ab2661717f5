// CsvReader: the RFC 4180 RowReader (see engine/row_reader.h for the contract).
// Internal: code outside engine/ opens readers through OpenRowReader /
// MakeRowReader.
//
// Invariants: the first non-empty record is the header (unique, non-empty
// names, at most kMaxFieldsPerRow); every row yielded has exactly the header's
// fields, in header order. Memory is the fixed InputBuffer plus one row.
#pragma once

#include "engine/row_reader.h"

#include <cstdio>
#include <memory>
#include <string>

namespace reckon::internal {

// `owns`: close `f` when the reader is destroyed.
std::unique_ptr<RowReader> MakeCsvReader(std::FILE* f, bool owns, std::string name);

}  // namespace reckon::internal
