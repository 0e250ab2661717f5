// The expanded-size walk of a YAML document (see yaml_budget.h).
#include "dsl/yaml_budget.h"

#include <vector>

namespace reckon {

std::optional<YAML::Mark> YamlExpansionOverLimit(const YAML::Node& root, size_t limit) {
  size_t total = 0;
  std::vector<YAML::Node> stack{root};  // explicit: no recursion depth to worry about
  while (!stack.empty()) {
    YAML::Node n = stack.back();
    stack.pop_back();
    total += 1;
    if (n.IsScalar()) total += n.Scalar().size();
    if (total > limit) return n.Mark();
    if (n.IsSequence()) {
      for (auto it = n.begin(); it != n.end(); ++it) stack.push_back(*it);
    } else if (n.IsMap()) {
      for (auto it = n.begin(); it != n.end(); ++it) {
        stack.push_back(it->first);
        stack.push_back(it->second);
      }
    }
  }
  return std::nullopt;
}

}  // namespace reckon
