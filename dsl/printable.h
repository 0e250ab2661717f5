// Printable: a value from an input, safe to echo in a message.
//
// Printable(s) returns s in single quotes with everything that could change
// how a terminal or a log shows the message escaped: C0 controls and DEL as
// \xNN; C1 controls, invisible format characters (Unicode category Cf:
// zero-width space, bidi controls such as U+202E), line and paragraph
// separators, private-use and unassigned code points as \u{XXXX}; bytes
// that are not valid UTF-8 as \xNN; a backslash as \\ and a
// quote as \'. Plain text comes out unchanged between the quotes, so
// Printable("T-1") is 'T-1'. Values longer than kMaxPrintableBytes are cut
// there and end in "...".
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace reckon {

inline constexpr size_t kMaxPrintableBytes = 512;  // of the value shown (before escaping)

std::string Printable(std::string_view s);

}  // namespace reckon
