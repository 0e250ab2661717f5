// YAML budget: a bound on the text a YAML document stands for once its
// aliases are resolved.
//
// yaml-cpp keeps an aliased node once, but every reader that copies the
// value copies it again at each use: a 1 MB file of aliases to a 400 KB
// scalar stands for tens of GB. Contracts and mappings are therefore walked
// once, as a reader sees them (each alias counted wherever it is used), and
// refused when the scalar bytes plus one per node exceed
// kMaxYamlExpandedBytes. The walk stops at the limit, so it is fast even for
// self-referencing or exponentially nested aliases.
#pragma once

#include <yaml-cpp/yaml.h>

#include <cstddef>
#include <optional>

namespace reckon {

inline constexpr size_t kMaxYamlExpandedBytes = 4 << 20;  // 4 MiB after alias resolution

// The mark of the node at which the expanded text passes `limit`, or nullopt
// when the whole document stays within it.
std::optional<YAML::Mark> YamlExpansionOverLimit(const YAML::Node& root, size_t limit = kMaxYamlExpandedBytes);

}  // namespace reckon
