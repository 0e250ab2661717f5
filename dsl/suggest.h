// Suggest: the "did you mean" of every diagnostic -- unknown contract keys,
// names, enum values, mapping keys, commands and options.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace reckon {

// The candidate closest to `word` by edit distance (Levenshtein), if it is
// within max(2, a third of the word's length); empty otherwise. Ties go to the
// earlier candidate.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace reckon
