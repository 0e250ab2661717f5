// Record validation, canonical payloads and typed decoding (see record.h).
#include "engine/record.h"

#include "dsl/identifier.h"
#include "dsl/printable.h"
#include "ledger/payload/record.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

std::optional<bool> ParseBoolText(std::string_view s) {
  auto eq = [&](std::string_view w) {
    if (s.size() != w.size()) return false;
    for (size_t i = 0; i < s.size(); ++i) if (std::tolower(static_cast<unsigned char>(s[i])) != w[i]) return false;
    return true;
  };
  if (eq("true") || s == "1") return true;
  if (eq("false") || s == "0") return false;
  return std::nullopt;
}

namespace {

bool HasControl(std::string_view s) {
  for (unsigned char c : s) if (c < 0x20 || c == 0x7f) return true;
  return false;
}

Status FieldError(const std::string& file, int64_t line, std::string_view field, std::string msg) {
  return Status::Invalid(fmt::format("{}: {}", field, msg), {file, int(line), 0});
}

}  // namespace

Status BuildRecord(const RawRow& row, const std::string& file, const RecordOptions& opt, Record& out,
                   std::vector<std::pair<std::string_view, std::string_view>>& scratch) {
  scratch.clear();
  const std::string* id = nullptr;
  const std::string* vendor = nullptr;
  const std::string* occurred = nullptr;
  const std::string* revision = nullptr;
  const std::string* verified = nullptr;
  const std::string* voided = nullptr;
  for (auto& [name, value] : row.fields) {
    const std::string* v = value ? &*value : nullptr;
    // Core field names, matched by length first (this runs once per cell).
    switch (name.size()) {
      case 2: if (name == "id") { id = v; continue; } break;
      case 4: if (name == "void") { voided = v; continue; } break;
      case 6: if (name == "vendor") { vendor = v; continue; } break;
      case 8:
        if (name == "revision") { revision = v; continue; }
        if (name == "verified") { verified = v; continue; }
        break;
      case 11: if (name == "occurred_at") { occurred = v; continue; } break;
      default: break;
    }
    if (name.empty() || name.size() > kMaxFieldNameLength)
      return FieldError(file, row.line, "field name", fmt::format("names must be 1 to {} bytes", kMaxFieldNameLength));
    if (v) scratch.emplace_back(name, *v);
  }
  if (!id || id->empty()) return FieldError(file, row.line, "id", "missing; every record needs a non-empty id");
  if (id->size() > kMaxIdLength || HasControl(*id))
    return FieldError(file, row.line, "id", fmt::format("must be at most {} bytes without control characters", kMaxIdLength));
  if (auto why = IdentifierProblem(*id)) return FieldError(file, row.line, "id", fmt::format("{} {}", Printable(*id), *why));
  if (vendor) {
    if (vendor->size() > kMaxIdLength || HasControl(*vendor))
      return FieldError(file, row.line, "vendor", fmt::format("must be at most {} bytes without control characters", kMaxIdLength));
    if (auto why = IdentifierProblem(*vendor)) return FieldError(file, row.line, "vendor", fmt::format("{} {}", Printable(*vendor), *why));
    if (opt.vendor && *vendor != *opt.vendor)
      return FieldError(file, row.line, "vendor", fmt::format("the row says {} but --vendor says {}", Printable(*vendor), Printable(*opt.vendor)));
    out.vendor = *vendor;
  } else if (opt.vendor) {
    out.vendor = *opt.vendor;
  } else {
    return FieldError(file, row.line, "vendor", "missing; add a vendor column or pass --vendor");
  }
  out.id = *id;
  if (!occurred) return FieldError(file, row.line, "occurred_at", "missing; every record needs the time of its outcome");
  auto ts = ParseTimestamp(*occurred, opt.default_zone);
  if (!ts.ok()) return FieldError(file, row.line, "occurred_at", ts.status().message());
  out.occurred_at = *ts;
  out.revision = 0;
  if (revision) {
    const std::string& r = *revision;
    bool digits = !r.empty() && std::all_of(r.begin(), r.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (!digits) return FieldError(file, row.line, "revision", fmt::format("{} is not a whole number >= 0", Printable(r)));
    // More than 13 digits (after leading zeros) is above kMaxRevision; such a
    // number is whole, so say it is too large rather than "not a number".
    size_t lead = std::min(r.find_first_not_of('0'), r.size());
    out.revision = r.size() - lead <= 13 ? std::stoll(r) : kMaxRevision + 1;
    if (out.revision > kMaxRevision) return FieldError(file, row.line, "revision", fmt::format("{} is larger than {}", Printable(r), kMaxRevision));
  }
  out.verified = false;
  if (verified) {
    auto b = ParseBoolText(*verified);
    if (!b) return FieldError(file, row.line, "verified", fmt::format("{} is not true or false", Printable(*verified)));
    out.verified = *b;
  }
  out.voided = false;
  if (voided) {
    auto b = ParseBoolText(*voided);
    if (!b) return FieldError(file, row.line, "void", fmt::format("{} is not true or false", Printable(*voided)));
    out.voided = *b;
  }
  std::string occurred_utc = FormatUtc(out.occurred_at);
  std::string rev_text = std::to_string(out.revision);
  // Core members, rendered as JSON values; the marker byte tells raw JSON
  // (booleans, integers) from strings.
  scratch.emplace_back("id", out.id);
  scratch.emplace_back("occurred_at", occurred_utc);
  scratch.emplace_back("revision", std::string_view(rev_text));
  scratch.emplace_back("vendor", out.vendor);
  scratch.emplace_back("verified", out.verified ? "true" : "false");
  scratch.emplace_back("void", out.voided ? "true" : "false");
  if (scratch.size() > kMaxRecordMembers)
    return FieldError(file, row.line, "record",
                      fmt::format("has {} fields (core fields and attributes, after any mapping); at most {} are allowed; "
                                  "leave columns out (a mapping's drop) or map fewer fields",
                                  scratch.size(), kMaxRecordMembers));
  std::sort(scratch.begin(), scratch.end(), [](auto& a, auto& b) { return a.first < b.first; });
  for (size_t i = 1; i < scratch.size(); ++i) {
    if (scratch[i].first == scratch[i - 1].first)
      return FieldError(file, row.line, scratch[i].first, "appears twice in the row");
  }
  std::string& p = out.payload;
  p.clear();
  p.reserve(256 + row.raw.size() * 2);
  p += '{';
  bool first = true;
  for (auto& [k, v] : scratch) {
    if (!first) p += ',';
    first = false;
    AppendJsonString(p, k);
    p += ':';
    bool raw = k == "revision" || k == "verified" || k == "void";
    if (raw) p.append(v);
    else AppendJsonString(p, v);
  }
  p += '}';
  // The payload as verify and settlement will read it (the shared rule): ingest never
  // writes what they would refuse.
  thread_local std::vector<FlatMember> members;
  size_t count = 0;
  RecordCore core;
  std::string why;
  if (!ReadRecordPayload(p, members, count, core, why))
    return FieldError(file, row.line, "record", fmt::format("would not verify once stored: {}", why));
  return Status::Ok();
}

bool RecordView::Decode(std::string_view payload, std::string& error) {
  if (!ParseFlatObject(payload, members_, count_, error)) return false;
  verified_ = false;
  voided_ = false;
  id_.clear();
  for (size_t i = 0; i < count_; ++i) {
    const FlatMember& m = members_[i];
    if (m.key == "verified") verified_ = m.b;
    else if (m.key == "void") voided_ = m.b;
    else if (m.key == "id") id_ = m.text;
  }
  return true;
}

const std::string_view* RecordView::Find(std::string_view name) const {
  // Members are sorted by key: binary search.
  size_t lo = 0, hi = count_;
  while (lo < hi) {
    size_t mid = (lo + hi) / 2;
    int c = members_[mid].key.compare(name);
    if (c == 0) {
      const FlatMember& m = members_[mid];
      return &m.text;
    }
    if (c < 0) lo = mid + 1;
    else hi = mid;
  }
  return nullptr;
}

std::optional<std::string> ContractVendorMismatch(const Contract& contract, std::string_view vendor) {
  if (vendor == contract.vendor) return std::nullopt;
  return fmt::format("vendor {} is not the vendor of contract {} ({})", Printable(vendor), contract.id, Printable(contract.vendor));
}

Status TypedField(const FieldDecl& d, const std::string_view* text, Value* out) {
  if (!text) {
    if (out) *out = Value::Null();
    if (d.optional) return Status::Ok();
    return Status::Invalid(fmt::format("field '{}' is missing and is not optional", d.name));
  }
  const std::string_view s = *text;
  Value v;
  switch (d.type) {
    case FieldType::kString:
      v = Value::Str(std::string(s));
      break;
    case FieldType::kEnum:
      if (std::find(d.enum_values.begin(), d.enum_values.end(), s) == d.enum_values.end())
        return Status::Invalid(fmt::format("field '{}' is {}, not one of: {}", d.name, Printable(s), fmt::join(d.enum_values, ", ")));
      v = Value::Str(std::string(s));
      break;
    case FieldType::kDecimal: case FieldType::kInteger: {
      auto n = Number::Parse(s);
      if (!n) return Status::Invalid(fmt::format("field '{}' is {}, not a decimal number", d.name, Printable(s)));
      if (d.type == FieldType::kInteger && !n->is_integer()) return Status::Invalid(fmt::format("field '{}' is {}, not a whole number", d.name, Printable(s)));
      if (d.min && *n < *d.min) return Status::Invalid(fmt::format("field '{}' is {}, below its minimum {}", d.name, s, d.min->ToString()));
      if (d.max && *n > *d.max) return Status::Invalid(fmt::format("field '{}' is {}, above its maximum {}", d.name, s, d.max->ToString()));
      v = Value::Num(*n);
      break;
    }
    case FieldType::kBoolean: {
      auto b = s == "true" ? std::optional<bool>(true) : s == "false" ? std::optional<bool>(false) : ParseBoolText(s);
      if (!b) return Status::Invalid(fmt::format("field '{}' is {}, not true or false", d.name, Printable(s)));
      v = Value::Bool(*b);
      break;
    }
    case FieldType::kTimestamp: {
      auto t = ParseTimestamp(s);
      if (!t.ok()) return Status::Invalid(fmt::format("field '{}': {}", d.name, t.status().message()));
      v = Value::Time(*t);
      break;
    }
  }
  if (out) *out = std::move(v);
  return Status::Ok();
}

Status RecordView::Typed(const Contract& contract, std::vector<Value>& values) const {
  if (values.size() != contract.fields.size()) values.resize(contract.fields.size());
  for (int slot : contract.used_fields) {
    const FieldDecl& d = contract.fields[slot];
    const std::string_view* text = Find(d.name);
    if (d.core) {
      // Core fields are validated at ingest; give their typed value.
      if (d.type == FieldType::kBoolean) {
        values[slot] = Value::Bool(d.name == "verified" ? verified_ : voided_);
        continue;
      }
      if (d.name == "revision") {
        values[slot] = Value::Num(*Number::Parse(text ? *text : std::string_view("0")));
        continue;
      }
    }
    if (auto s = TypedField(d, text, &values[slot]); !s.ok()) return s;
  }
  return Status::Ok();
}

}  // namespace reckon
