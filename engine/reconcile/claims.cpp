// Claims reading and the claimed-key index (see claims.h).
#include "engine/reconcile/claims.h"

#include "dsl/printable.h"
#include "dsl/suggest.h"
#include "engine/record.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

// 1-based byte column where field `index` starts in a CSV row's raw bytes
// (commas inside quotes do not separate).
int CsvColumn(std::string_view raw, size_t index) {
  size_t field = 0;
  bool quoted = false;
  for (size_t i = 0; i < raw.size(); ++i) {
    if (field == index) return int(i) + 1;
    char c = raw[i];
    if (c == '"') quoted = !quoted;
    else if (c == ',' && !quoted) ++field;
  }
  return field == index ? int(raw.size()) + 1 : 1;
}

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(), [](unsigned char c) { return c < 0x20 || c == 0x7f; });
}

}  // namespace

ClaimReader::ClaimReader(std::string path, std::unique_ptr<RowReader> reader, const Mapping* mapping, const Contract& contract, RowFormat format)
    : path_(std::move(path)), reader_(std::move(reader)), mapping_(mapping), contract_(contract), format_(format) {
  for (size_t f = 0; f < contract.fees.size(); ++f) {
    if (contract.fees[f].per_metric < 0) continue;
    if (default_fee_ < 0) default_fee_ = int(f);
    fee_names_.push_back(contract.fees[f].name);
  }
}

Result<std::unique_ptr<ClaimReader>> ClaimReader::Open(const std::string& path, const Mapping* mapping, const Contract& contract) {
  auto format = RowFormatOfPath(path);
  if (!format) return Status::Invalid(fmt::format("{}: claims must be a .csv or .jsonl file (the format is read from the extension)", path));
  auto reader = OpenRowReader(path, *format);
  if (!reader.ok()) return reader.status();
  return std::unique_ptr<ClaimReader>(new ClaimReader(path, std::move(*reader), mapping, contract, *format));
}

// The column of `column` in the source row when it can be told (no mapping).
Status ClaimReader::RowError(const RawRow& row, std::string_view column, std::string message) const {
  int col = 0;
  if (!mapping_ && !column.empty()) {
    for (size_t i = 0; i < raw_.fields.size(); ++i) {
      if (raw_.fields[i].first != column) continue;
      if (format_ == RowFormat::kCsv) col = CsvColumn(raw_.raw, i);
      else if (auto at = raw_.raw.find(fmt::format("\"{}\"", column)); at != std::string::npos) col = int(at) + 1;
      break;
    }
  }
  if (col == 0) col = 1;
  return Status::Invalid(std::move(message), {path_, int(row.line), col});
}

Result<bool> ClaimReader::Next(Claim& claim) {
  auto more = reader_->Next(raw_);
  if (!more.ok() || !*more) return more;
  const RawRow* row = &raw_;
  if (mapping_) {
    if (auto s = ApplyMapping(*mapping_, raw_, mapped_, path_); !s.ok()) return s;
    row = &mapped_;
  }
  const std::optional<std::string>* id = nullptr;
  const std::optional<std::string>* revision = nullptr;
  const std::optional<std::string>* line = nullptr;
  const std::optional<std::string>* units = nullptr;
  for (auto& [name, value] : row->fields) {
    if (name == "id") id = &value;
    else if (name == "revision") revision = &value;
    else if (name == "line") line = &value;
    else if (name == "units") units = &value;
  }
  claim.line = row->line;
  claim.revision.clear();
  claim.fee = -1;
  claim.one = true;
  if (!id || !*id || (*id)->empty()) {
    if (!id && format_ == RowFormat::kCsv && !mapping_) {
      fatal_ = true;
      return Status::Invalid("the claims have no 'id' column; the header must name one (or map one with --map)", {path_, 1, 1});
    }
    return RowError(*row, "id", "claim has no id; every claim names the record id it bills");
  }
  if ((*id)->size() > kMaxIdLength || HasControl(**id))
    return RowError(*row, "id", fmt::format("id {} must be at most {} bytes without control characters", Printable(**id), kMaxIdLength));
  claim.id = **id;
  if (revision && *revision) {
    const std::string& r = **revision;
    bool digits = !r.empty() && r.size() <= 13 && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return RowError(*row, "revision", fmt::format("revision {} is not a whole number >= 0 (at most 13 digits)", Printable(r)));
    claim.revision = std::to_string(std::stoll(r));
  }
  if (line && *line) {
    for (size_t f = 0; f < contract_.fees.size(); ++f)
      if (contract_.fees[f].name == **line) { claim.fee = int(f); break; }
    if (claim.fee < 0) {
      std::string best = Suggest(**line, fee_names_);
      return RowError(*row, "line", fmt::format("line {} is not a fee of contract '{}'{}; claims name a fee with `per`: {}", Printable(**line),
                                                contract_.id, best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best),
                                                fee_names_.empty() ? std::string("(none)") : fmt::format("{}", fmt::join(fee_names_, ", "))));
    }
    if (contract_.fees[size_t(claim.fee)].per_metric < 0)
      return RowError(*row, "line", fmt::format("line {} is a fixed-amount fee (amount:), not billed per unit; claims name a fee with `per`: {}",
                                                Printable(**line), fmt::join(fee_names_, ", ")));
  } else {
    if (default_fee_ < 0)
      return RowError(*row, "line", fmt::format("contract '{}' has no per-unit fee (a fee with `per`) for claims to bill", contract_.id));
    claim.fee = default_fee_;
  }
  claim.units_text = "1";
  if (units && *units && **units != "1") {
    auto n = Number::Parse(**units);
    if (!n || n->is_negative() || n->is_zero())
      return RowError(*row, "units", fmt::format("units {} is not a positive decimal number (like 1 or 2.5)", Printable(**units)));
    claim.units_text = n->ToString();
    claim.one = claim.units_text == "1";
    if (!claim.one) claim.units = std::move(*n);
  }
  return true;
}

void ClaimIndex::Add(int fee, std::string_view id) {
  slots_.push_back(Slot{arena_.size(), uint32_t(id.size()), fee, ClaimOutcome()});
  arena_.append(id);
}

void ClaimIndex::Seal() {
  auto less = [&](const Slot& a, const Slot& b) { return a.fee != b.fee ? a.fee < b.fee : Key(a) < Key(b); };
  std::sort(slots_.begin(), slots_.end(), less);
  slots_.erase(std::unique(slots_.begin(), slots_.end(), [&](const Slot& a, const Slot& b) { return a.fee == b.fee && Key(a) == Key(b); }),
               slots_.end());
  slots_.shrink_to_fit();
}

ClaimOutcome* ClaimIndex::Find(int fee, std::string_view id) {
  auto it = std::lower_bound(slots_.begin(), slots_.end(), std::pair(fee, id), [&](const Slot& s, const std::pair<int, std::string_view>& k) {
    return s.fee != k.first ? s.fee < k.first : Key(s) < k.second;
  });
  if (it == slots_.end() || it->fee != fee || Key(*it) != id) return nullptr;
  return &it->out;
}

}  // namespace reckon
