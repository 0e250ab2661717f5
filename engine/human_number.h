// Numbers as people write them, for human output only (text, HTML): JSON and
// CSV keep plain exact decimals (docs/decisions.md, "Reports people read").
#pragma once

#include <string>
#include <string_view>

namespace reckon {

// "12398.23" -> "12,398.23", "-1031.86" -> "-1,031.86", "0.5" -> "0.5": a
// comma between each group of three integer digits. Text that is not a plain
// decimal (null, "undefined") is returned unchanged.
std::string GroupThousands(std::string_view decimal);

}  // namespace reckon
