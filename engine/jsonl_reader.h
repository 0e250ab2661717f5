// JsonlReader: the JSON Lines RowReader (see engine/row_reader.h for the
// contract). Internal: code outside engine/ opens readers through
// OpenRowReader / MakeRowReader.
//
// Invariants: one row per non-blank line; each row is one flat JSON object
// whose values are strings, numbers (kept as their literal text), booleans or
// null. Memory is the fixed InputBuffer plus one row.
#pragma once

#include "engine/row_reader.h"

#include <cstdio>
#include <memory>
#include <string>

namespace reckon::internal {

// `owns`: close `f` when the reader is destroyed.
std::unique_ptr<RowReader> MakeJsonlReader(std::FILE* f, bool owns, std::string name);

}  // namespace reckon::internal
