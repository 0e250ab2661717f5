// Overlap: two contracts of one vendor in force at the same time. Each bills
// every record of the vendor that falls in its range, so records in the
// overlap would be paid twice; `register` and `check` warn and name both
// (docs/cli.md, "reckon register").
#pragma once

#include "dsl/contract.h"

#include <memory>
#include <set>
#include <string>
#include <vector>

namespace reckon {

// One warning per pair of contract ids of one vendor whose effective ranges
// overlap. An id's range runs from its earliest version's first period to
// the end of its newest version's last period (open when that has no end).
// `versions` may hold several versions of an id, in any order. With
// `involving` non-empty, only pairs with at least one of those ids are named
// (the contracts a command was given, not every overlap in the registry).
std::vector<std::string> OverlapWarnings(const std::vector<std::shared_ptr<const Contract>>& versions,
                                         const std::set<std::string>& involving = {});

}  // namespace reckon
