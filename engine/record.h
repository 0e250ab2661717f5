// Record: one outcome record, validated and in canonical form (docs/records.md).
//
// BuildRecord turns a RawRow into a Record whose `payload` is the canonical
// JSON stored in the ledger: one flat object with the core fields normalised
// (id and vendor strings, revision an integer, verified and void booleans,
// occurred_at as a UTC timestamp "YYYY-MM-DDTHH:MM:SS[.f]Z") and every other
// present field as a string exactly as written; absent values are left out;
// keys sorted by bytes. Equal content therefore gives equal bytes, which is
// what duplicate and conflict detection compare.
//
// RecordView decodes a stored payload for settlement and gives typed field
// values (per the contract's declarations) without copying the payload.
#pragma once

#include "dsl/contract.h"
#include "dsl/status.h"
#include "dsl/timestamp.h"
#include "dsl/value.h"
#include "engine/row_reader.h"
#include "ledger/canonical.h"

#include <optional>
#include <string>
#include <vector>

namespace reckon {

inline constexpr size_t kMaxIdLength = 256;        // bytes of id and vendor
inline constexpr size_t kMaxFieldNameLength = 128;  // bytes of an attribute name
inline constexpr int64_t kMaxRevision = 1000000000000LL;

struct RecordOptions {
  std::optional<std::string> vendor;   // --vendor: fills rows without a vendor
  const Zone* default_zone = nullptr;  // --timezone: zone of timestamps without one
};

struct Record {
  std::string vendor;
  std::string id;
  int64_t revision = 0;
  Timestamp occurred_at;
  bool verified = false;
  bool voided = false;
  std::string payload;  // canonical JSON
};

// Validates `row` and fills `out`. Errors are kInvalidInput with pos {file,
// line} and a message naming the field: "occurred_at: timestamp '...' has no
// time zone; ...". `scratch` is reused storage.
Status BuildRecord(const RawRow& row, const std::string& file, const RecordOptions& opt, Record& out,
                   std::vector<std::pair<std::string_view, std::string_view>>& scratch);

// Parses a boolean cell: true/false (any case), 1/0.
std::optional<bool> ParseBoolText(std::string_view s);

// A decoded stored record.
class RecordView {
 public:
  // Decodes a payload; false with `error` when it is malformed.
  bool Decode(std::string_view payload, std::string& error);
  std::string_view id() const { return id_; }
  bool verified() const { return verified_; }
  bool voided() const { return voided_; }
  // The raw text of a field (attributes and core fields), or nullptr; valid
  // until the next Decode or until the decoded payload goes away.
  const std::string_view* Find(std::string_view name) const;
  // Fills `values` (indexed by field slot) for the slots in `used` with
  // typed values per `contract.fields`. A missing non-optional declared field
  // or text that does not parse as its type is an error naming the field.
  Status Typed(const Contract& contract, std::vector<Value>& values) const;

 private:
  std::vector<FlatMember> members_;
  size_t count_ = 0;
  std::string id_;
  bool verified_ = false;
  bool voided_ = false;
};

// `ingest --contract C`: a record whose vendor is not C's is refused. The
// reason naming both vendors, or nullopt when `vendor` is the contract's.
std::optional<std::string> ContractVendorMismatch(const Contract& contract, std::string_view vendor);

// Checks one declared field's text against its declaration; the typed value
// goes to *out. Used at settlement and by `ingest --contract`.
Status TypedField(const FieldDecl& decl, const std::string_view* text, Value* out);

}  // namespace reckon
