// The columns every row needs, checked once per input (see needed_columns.h).
#include "engine/needed_columns.h"

#include "dsl/printable.h"
#include "dsl/suggest.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cstdint>

namespace reckon {

namespace {

constexpr std::array<std::string_view, 3> kRequiredCore = {"id", "vendor", "occurred_at"};

// "(every row needs it: ...)" for a needed column; `word` is "column" or "key".
std::string Why(const NeededColumn& n, const RecordOptions& opt, const Mapping* m, std::string_view word) {
  if (n.spec) {
    return fmt::format("(mapping {}:{} reads it for {}; every row needs it: add the {} or correct the mapping)", m->file, n.spec->line,
                       n.spec->name, word);
  }
  std::string fixes = fmt::format("add the {}", word);
  if (m) fixes += fmt::format(", map {} in {}", n.column, m->file);
  if (n.column == "vendor" && !opt.vendor) fixes += m ? ", or pass --vendor V" : " or pass --vendor V";
  else if (!m) fixes += " or map one to it with --map M.yaml";
  return fmt::format("(every row needs it: {})", fixes);
}

Status CollisionProblem(const Mapping& m, const std::string& column, const std::string& where) {
  const MappingSpec* spec = FindSpec(m, column);
  SourcePos pos{m.file, spec ? spec->line : 0, spec ? spec->col : 0};
  return Status::Invalid(fmt::format("{} {}, which would pass through under its own name, but this mapping sets that name too; "
                                     "add it to drop, or map it under fields with another name",
                                     where, Printable(column)),
                         pos);
}

}  // namespace

std::vector<NeededColumn> NeededColumns(const RecordOptions& opt, const Mapping* mapping) {
  std::vector<NeededColumn> out;
  auto add = [&](const std::string& column, const MappingSpec* spec) {
    for (auto& n : out) if (n.column == column) return;
    out.push_back({column, spec});
  };
  if (mapping) {
    for (auto& s : mapping->specs) if (s.column) add(*s.column, &s);
  }
  for (auto core : kRequiredCore) {
    std::string name(core);
    if (name == "vendor" && opt.vendor) continue;
    if (mapping) {
      if (FindSpec(*mapping, name)) continue;  // the mapping sets it (its column is needed above)
      // A column the mapping consumes or drops cannot pass through: the rows
      // report that themselves.
      if (auto it = mapping->columns.find(name); it != mapping->columns.end() && it->second != Mapping::Use::kProduced) continue;
    }
    add(name, nullptr);
  }
  return out;
}

std::vector<Status> CheckHeader(const std::vector<NeededColumn>& needed, const RecordOptions& opt, const Mapping* mapping,
                                const std::vector<std::string>& header, const std::string& file, int64_t header_line) {
  std::vector<Status> out;
  const SourcePos at{file, int(std::min<int64_t>(header_line, INT32_MAX)), 0};
  for (auto& n : needed) {
    if (std::find(header.begin(), header.end(), n.column) != header.end()) continue;
    std::string hint = Suggest(n.column, header);
    out.push_back(Status::Invalid(fmt::format("column {} is missing {}{}", Printable(n.column), Why(n, opt, mapping, "column"),
                                              hint.empty() ? std::string() : fmt::format("; did you mean {}?", Printable(hint))),
                                  at));
  }
  if (mapping) {
    for (auto& name : header) {
      auto it = mapping->columns.find(name);
      if (it != mapping->columns.end() && it->second == Mapping::Use::kProduced)
        out.push_back(CollisionProblem(*mapping, name, fmt::format("the header of {} has a column", file)));
    }
  }
  return out;
}

void ColumnPresence::Row(const RawRow& row) {
  if (rows_++ == 0) first_line_ = row.line;
  for (size_t i = 0; i < needed_.size(); ++i) {
    const NeededColumn& n = needed_[i];
    bool present = false;
    for (auto& [name, value] : row.fields) {
      if (name == n.column) {
        present = n.spec || value.has_value();  // a core field's null is missing too
        break;
      }
    }
    if (!present) ++absent_[i];
  }
}

void ColumnPresence::Collision(const std::string& column, int64_t line) {
  for (auto& c : collisions_) if (c.first == column) return;
  collisions_.emplace_back(column, line);
}

std::vector<Status> ColumnPresence::Finish(const std::string& file) {
  std::vector<Status> out;
  const SourcePos at{file, int(std::min<int64_t>(first_line_, INT32_MAX)), 0};
  for (size_t i = 0; rows_ > 0 && i < needed_.size(); ++i) {
    if (absent_[i] != rows_) continue;
    const NeededColumn& n = needed_[i];
    out.push_back(Status::Invalid(fmt::format("key {} is missing from every row{} {}", Printable(n.column),
                                              n.spec ? "" : " (or null)", Why(n, opt_, mapping_, "key")),
                                  at));
  }
  if (mapping_) {
    for (auto& [column, line] : collisions_)
      out.push_back(CollisionProblem(*mapping_, column, fmt::format("{}:{} has a key", file, line)));
  }
  std::fill(absent_.begin(), absent_.end(), 0);
  rows_ = 0;
  first_line_ = 0;
  collisions_.clear();
  return out;
}

}  // namespace reckon
