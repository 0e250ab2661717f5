// Identifier text: the rule for record ids and vendor names.
//
// Ids and vendors are compared byte for byte (they are keys: a different
// byte is a different record or vendor). So that two spellings that look the
// same cannot become two records, a text is refused when it
//  * is not valid UTF-8,
//  * contains a control character (C0, DEL, C1),
//  * contains an invisible format character (Unicode category Cf: zero-width
//    space U+200B, bidi controls such as U+202E, the BOM U+FEFF, ...),
//  * begins or ends with white space (Unicode White_Space), or
//  * is not in Unicode Normalization Form C (é written as e + U+0301).
// Case stays significant: `T-1` and `t-1` are different ids (vendors'
// systems use case-sensitive keys, and folding would merge real records).
// ASCII text (the usual case) is checked without ICU.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace reckon {

// Why `s` is not acceptable as an id or vendor ("has leading white space",
// ...), or nullopt when it is. Empty text is the caller's concern.
std::optional<std::string> IdentifierProblem(std::string_view s);

}  // namespace reckon
