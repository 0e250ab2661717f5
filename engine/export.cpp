// Export: the audit bundle of one settled period (see export.h and
// docs/export.md for every file byte by byte).
#include "engine/export.h"

#include "engine/adjustment.h"

#include "dsl/contract.h"
#include "dsl/period.h"
#include "engine/settle.h"
#include "engine/statement.h"
#include "ledger/canonical.h"
#include "ledger/chain.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <openssl/pem.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>

namespace reckon {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

constexpr size_t kWriteBufferBytes = size_t(1) << 20;  // stdio buffer of each bundle file
constexpr size_t kMaxEd25519SignatureBytes = 64;

// ---------------------------------------------------------------- signing key

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

// Refuses encrypted keys instead of prompting on the terminal.
int NoPassword(char*, int, int, void*) { return -1; }

Result<Pkey> LoadSigningKey(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return Status::Invalid(fmt::format("--sign {}: cannot read the key file: {}", path, std::strerror(errno)));
  std::string pem(kMaxSigningKeyBytes + 1, '\0');
  f.read(pem.data(), std::streamsize(pem.size()));
  pem.resize(size_t(f.gcount()));
  if (pem.size() > kMaxSigningKeyBytes)
    return Status::Invalid(fmt::format("--sign {}: the file is larger than {} bytes; it is not a PEM Ed25519 private key", path,
                                       kMaxSigningKeyBytes));
  BIO* bio = BIO_new_mem_buf(pem.data(), int(pem.size()));
  if (!bio) return Status::Io("out of memory reading the signing key");
  Pkey key(PEM_read_bio_PrivateKey(bio, nullptr, NoPassword, nullptr));
  BIO_free(bio);
  ERR_clear_error();
  if (!key)
    return Status::Invalid(fmt::format("--sign {}: not an unencrypted PEM private key; make one with "
                                       "'openssl genpkey -algorithm ed25519 -out key.pem'",
                                       path));
  if (EVP_PKEY_id(key.get()) != EVP_PKEY_ED25519)
    return Status::Invalid(fmt::format("--sign {}: the key is {}, not Ed25519; make one with 'openssl genpkey -algorithm ed25519 -out key.pem'",
                                       path, OBJ_nid2sn(EVP_PKEY_id(key.get()))));
  return key;
}

Result<std::string> SignEd25519(EVP_PKEY* key, std::string_view message) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx) return Status::Io("out of memory signing the manifest");
  std::string sig(kMaxEd25519SignatureBytes, '\0');
  size_t len = sig.size();
  bool ok = EVP_DigestSignInit(ctx, nullptr, nullptr, nullptr, key) == 1 &&
            EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                           reinterpret_cast<const unsigned char*>(message.data()), message.size()) == 1;
  EVP_MD_CTX_free(ctx);
  ERR_clear_error();
  if (!ok) return Status::Io("signing the manifest with the Ed25519 key failed");
  sig.resize(len);
  return sig;
}

// ---------------------------------------------------------------- files

// A bundle file: buffered writes, SHA-256 computed on the way.
class OutFile {
 public:
  OutFile(const fs::path& dir, std::string name) : name_(std::move(name)), path_(dir / name_) {
    f_ = std::fopen(path_.c_str(), "wbx");
    if (f_) {
      buf_.resize(kWriteBufferBytes);
      std::setvbuf(f_, buf_.data(), _IOFBF, buf_.size());
    }
    md_ = EVP_MD_CTX_new();
    if (md_) EVP_DigestInit_ex(md_, EVP_sha256(), nullptr);
  }
  ~OutFile() {
    if (f_) std::fclose(f_);
    EVP_MD_CTX_free(md_);
  }
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;

  void Write(std::string_view s) {
    if (!f_ || s.empty()) return;
    if (std::fwrite(s.data(), 1, s.size(), f_) != s.size()) failed_ = true;
    if (md_) EVP_DigestUpdate(md_, s.data(), s.size());
  }
  // Closes the file; the hex SHA-256 of everything written, or an error.
  Result<std::string> Close() {
    if (!f_ || !md_) return Status::Io(fmt::format("{}: cannot create: {}", path_.string(), std::strerror(errno)));
    int rc = std::fclose(f_);
    f_ = nullptr;
    if (rc != 0 || failed_) return Status::Io(fmt::format("{}: write failed: {}", path_.string(), std::strerror(errno)));
    Hash h{};
    unsigned len = 0;
    EVP_DigestFinal_ex(md_, h.data(), &len);
    return ToHex(h);
  }
  const std::string& name() const { return name_; }

 private:
  std::string name_;
  fs::path path_;
  std::FILE* f_ = nullptr;
  std::vector<char> buf_;
  EVP_MD_CTX* md_ = nullptr;
  bool failed_ = false;
};

// A temporary directory beside the target, removed unless committed.
class StagingDir {
 public:
  ~StagingDir() {
    if (!path_.empty() && !committed_) {
      std::error_code ec;
      fs::remove_all(path_, ec);
    }
  }
  Status Create(const fs::path& target) {
    fs::path parent = target.parent_path();
    if (parent.empty()) parent = ".";
    std::string tmpl = (parent / ("." + target.filename().string() + ".tmp-XXXXXX")).string();
    if (!mkdtemp(tmpl.data()))
      return Status::Io(fmt::format("{}: cannot create a directory beside it: {}", target.string(), std::strerror(errno)));
    path_ = tmpl;
    // mkdtemp makes it 0700; the bundle gets the usual mode for new directories.
    mode_t mask = umask(0);
    umask(mask);
    ::chmod(path_.c_str(), 0777 & ~mask);
    return Status::Ok();
  }
  Status Commit(const fs::path& target) {
    // rename(2) replaces an empty directory and refuses a non-empty one, so a
    // directory filled by someone else meanwhile is never overwritten.
    if (std::rename(path_.c_str(), target.c_str()) != 0)
      return Status::Invalid(fmt::format("{}: cannot move the bundle into place: {}", target.string(), std::strerror(errno)));
    committed_ = true;
    return Status::Ok();
  }
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
  bool committed_ = false;
};

// ---------------------------------------------------------------- decisions

// The decisions of one re-evaluation, compactly: ids and revisions live in
// one arena, reasons in a small table.
struct Decisions {
  struct Row {
    int64_t seq;
    uint64_t off;       // id, then revision, in `arena`
    uint32_t id_len;
    uint16_t rev_len;
    uint16_t reason;    // index into `reasons`; 0 = counted
  };
  std::vector<Row> rows;
  std::string arena;
  std::vector<std::string> reasons{""};
  int64_t counted = 0, voided = 0, excluded = 0;  // excluded: not counted and not voided

  void Add(const RecordDecision& d) {
    Row r{d.seq, arena.size(), uint32_t(d.id.size()), uint16_t(d.revision.size()), 0};
    arena.append(d.id);
    arena.append(d.revision);
    if (!d.counted) {
      size_t i = 1;
      while (i < reasons.size() && reasons[i] != d.reason) ++i;
      if (i == reasons.size()) reasons.emplace_back(d.reason.empty() ? std::string_view("excluded") : d.reason);
      r.reason = uint16_t(i);
      (d.reason == "voided" ? voided : excluded)++;
    } else {
      ++counted;
    }
    rows.push_back(r);
  }
  std::string_view Id(const Row& r) const { return std::string_view(arena).substr(r.off, r.id_len); }
  std::string_view Revision(const Row& r) const { return std::string_view(arena).substr(r.off + r.id_len, r.rev_len); }
};

// ---------------------------------------------------------------- formats

bool IsPlainDecimal(std::string_view s) {
  size_t i = 0;
  if (i < s.size() && s[i] == '-') ++i;
  size_t digits = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++digits;
  if (digits == 0) return false;
  if (i == s.size()) return true;
  if (s[i] != '.') return false;
  ++i;
  size_t frac = 0;
  while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i, ++frac;
  return frac > 0 && i == s.size();
}

std::string CsvRow(std::initializer_list<std::string_view> cells) {
  std::string out;
  bool first = true;
  for (auto c : cells) {
    if (!first) out += ',';
    first = false;
    out += SpreadsheetCsvCell(c);
  }
  out += '\n';
  return out;
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return "";
  if (it->is_string()) return it->get<std::string>();
  return it->dump();
}

std::string EntryJson(const Entry& e) {
  std::string out = "{\"seq\": " + std::to_string(e.seq) + ", \"kind\": ";
  AppendJsonString(out, e.kind);
  out += ", \"hash\": \"" + ToHex(e.hash) + "\", \"prev_hash\": \"" + ToHex(e.prev_hash) + "\"}";
  return out;
}

// ---------------------------------------------------------------- checks

// The re-evaluation must reproduce what was recorded: record counts, metrics,
// every line and every total (the statement's adjustment lines for earlier
// periods are carried into the re-evaluation as recorded; their own
// re-evaluations are separate adjustment entries, listed in proof.json).
Status CheckReproduced(const json& recorded, const json& again, const Decisions& d, int64_t seq) {
  auto mismatch = [&](const std::string& what) {
    return Status::Integrity(fmt::format("statement entry {}: re-evaluating the period does not reproduce the recorded {}; "
                                         "run reckon verify",
                                         seq, what));
  };
  for (const char* k : {"counted", "excluded", "unverified", "voided"}) {
    if (recorded["records"].value(k, int64_t(-1)) != again["records"].value(k, int64_t(-2))) return mismatch(fmt::format("records.{}", k));
  }
  if (d.counted != again["records"].value("counted", int64_t(-1)) || d.voided != again["records"].value("voided", int64_t(-1)) ||
      d.excluded != again["records"].value("excluded", int64_t(-1)))
    return mismatch("record decisions");
  if (recorded["metrics"] != again["metrics"]) return mismatch("metrics");
  if (recorded["lines"] != again["lines"]) return mismatch("lines");
  for (const char* k : {"fees", "penalties", "rewards", "adjustments", "net"}) {
    if (recorded["totals"][k] != again["totals"][k]) return mismatch(fmt::format("totals.{}", k));
  }
  return Status::Ok();
}

Status CheckOutDir(const fs::path& out) {
  std::error_code ec;
  auto st = fs::status(out, ec);
  if (fs::exists(st)) {
    if (!fs::is_directory(st)) return Status::Invalid(fmt::format("--out {}: exists and is not a directory", out.string()));
    if (!fs::is_empty(out, ec) || ec)
      return Status::Invalid(fmt::format("--out {}: directory exists and is not empty; choose a new directory", out.string()));
  }
  fs::path parent = out.parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec))
    return Status::Invalid(fmt::format("--out {}: parent directory {} does not exist", out.string(), parent.string()));
  return Status::Ok();
}

// ---------------------------------------------------------------- html

constexpr const char* kCss = R"(body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;margin:24px 32px;color:#1a1a1a;background:#fff;font-size:14px}
h1{font-size:22px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px;border-bottom:2px solid #2b4c7e;padding-bottom:3px;color:#2b4c7e}
table{border-collapse:collapse;margin:4px 0 8px}th,td{border:1px solid #c8ced8;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#e8edf5}td.num{text-align:right;font-family:"DejaVu Sans Mono",monospace;white-space:nowrap}
tr.total td{font-weight:bold;background:#f4f6fa}.hash{font-family:"DejaVu Sans Mono",monospace;font-size:12px;word-break:break-all}
.ok{background:#e3f4e1;border:1px solid #7bb174;padding:8px 12px;margin:8px 0}.yes{color:#a11;font-weight:bold}.no{color:#555}
.explain{color:#333;font-size:13px}.muted{color:#666;font-size:12px})";

std::string Html(const std::string& s) { return HtmlEscape(s); }

std::string RenderHtml(const json& st, const Contract& k, const Head& head, int64_t entries, const Decisions& d, const json& later) {
  std::string h;
  auto row2 = [&](const std::string& label, const std::string& value, const char* cls = nullptr) {
    h += "<tr><th>" + Html(label) + "</th><td" + (cls ? std::string(" class=\"") + cls + "\"" : "") + ">" + Html(value) + "</td></tr>\n";
  };
  std::string cur = Str(st, "currency");
  h += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  h += "<title>Statement " + Html(Str(st, "contract")) + " " + Html(Str(st, "period")) + "</title>\n";
  h += "<style>\n" + std::string(kCss) + "\n</style>\n</head>\n<body>\n";
  h += "<h1>Statement " + Html(Str(st, "contract")) + " &middot; " + Html(Str(st, "period")) + "</h1>\n";
  h += "<p class=\"muted\">Audit bundle written by reckon export. Every figure below is in statement.json; "
       "MANIFEST.sha256 holds the SHA-256 of every file of the bundle.</p>\n";

  h += "<h2>Contract and period</h2>\n<table>\n";
  row2("Contract", Str(st, "contract"));
  row2("Version", Str(st, "version"));
  row2("Vendor", Str(st, "vendor"));
  if (!k.customer.empty()) row2("Customer", k.customer);
  row2("Period", Str(st, "period"));
  row2("From", Str(st, "period_start"));
  row2("To (exclusive)", Str(st, "period_end"));
  row2("Time zone", Str(st, "timezone"));
  row2("Currency", cur);
  row2("Contract SHA-256", Str(st, "contract_sha256"), "hash");
  h += "</table>\n";

  h += "<h2>Verification</h2>\n<div class=\"ok\">";
  h += "Chain verified: " + std::to_string(entries) + " entries. Head " + std::to_string(head.seq) + " <span class=\"hash\">" +
       ToHex(head.hash) + "</span><br>\n";
  h += "Statement entry " + Html(Str(st["ledger"], "seq")) + " <span class=\"hash\">" + Html(Str(st["ledger"], "hash")) + "</span><br>\n";
  h += "Re-evaluated from " + std::to_string(d.rows.size()) + " records of the period: matches the recorded statement.</div>\n";
  h += "<p class=\"muted\">Check against the ledger: <code>reckon verify --expect-head " + head.ToString() + "</code></p>\n";

  h += "<h2>Totals</h2>\n<table>\n<tr><th>Total</th><th>Amount (" + Html(cur) + ")</th></tr>\n";
  for (const char* t : {"fees", "penalties", "rewards", "adjustments"})
    h += "<tr><td>" + std::string(t) + "</td><td class=\"num\">" + Html(Str(st["totals"], t)) + "</td></tr>\n";
  h += "<tr class=\"total\"><td>net</td><td class=\"num\">" + Html(Str(st["totals"], "net")) + "</td></tr>\n</table>\n";

  h += "<h2>Guarantees, penalties and rewards</h2>\n";
  std::map<std::string, std::string> guarantee;
  for (auto& r : k.penalties) guarantee[r.name] = r.when.text.empty() ? "credit schedule" : "credit when " + r.when.text;
  for (auto& r : k.rewards) guarantee[r.name] = r.when.text.empty() ? "" : "reward when " + r.when.text;
  bool any_rule = false;
  std::string rules = "<table>\n<tr><th>Rule</th><th>Kind</th><th>Guarantee / condition</th><th>Applied</th><th>Amount</th><th>Explanation</th></tr>\n";
  for (auto& l : st["lines"]) {
    std::string kind = Str(l, "kind");
    if (kind != "penalty" && kind != "reward" && kind != "cap") continue;
    any_rule = true;
    std::string name = Str(l, "name");
    std::string applied = l.contains("condition") ? (l["condition"].get<bool>() ? "yes" : "no") : "-";
    auto g = guarantee.find(name);
    rules += "<tr><td>" + Html(name) + "</td><td>" + Html(kind) + "</td><td>" + Html(g == guarantee.end() ? "" : g->second) +
             "</td><td class=\"" + (applied == "yes" ? "yes" : "no") + "\">" + applied + "</td><td class=\"num\">" +
             Html(Str(l, "amount")) + "</td><td class=\"explain\">" + Html(Str(l, "explain")) + "</td></tr>\n";
  }
  h += any_rule ? rules + "</table>\n" : "<p>This contract has no penalties, rewards or caps.</p>\n";

  h += "<h2>Key figures (metrics)</h2>\n<table>\n<tr><th>Metric</th><th>Value</th></tr>\n";
  for (auto& [name, v] : st["metrics"].items())
    h += "<tr><td>" + Html(name) + "</td><td class=\"num\">" + (v.is_null() ? std::string("undefined") : Html(v.get<std::string>())) +
         "</td></tr>\n";
  h += "</table>\n";

  h += "<h2>Records</h2>\n<table>\n";
  for (auto [key, label] : {std::pair{"counted", "counted"}, {"excluded", "excluded"}, {"unverified", "of which unverified"},
                            {"voided", "voided"}, {"late", "late"}})
    h += "<tr><th>" + std::string(label) + "</th><td class=\"num\">" + Html(Str(st["records"], key)) + "</td></tr>\n";
  h += "</table>\n<p class=\"muted\">records.csv lists every record with its decision, ledger entry and hash.</p>\n";

  h += "<h2>Statement lines</h2>\n<table>\n<tr><th>Kind</th><th>Name</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
  for (auto& l : st["lines"]) {
    std::string name = Str(l, "name");
    if (l.contains("period")) name += " (" + Str(l, "period") + ")";
    h += "<tr><td>" + Html(Str(l, "kind")) + "</td><td>" + Html(name) + "</td><td class=\"num\">" + Html(Str(l, "amount")) +
         "</td><td class=\"explain\">" + Html(Str(l, "explain")) + "</td></tr>\n";
  }
  h += "<tr class=\"total\"><td></td><td>net</td><td class=\"num\">" + Html(Str(st["totals"], "net")) + "</td><td></td></tr>\n</table>\n";

  h += "<h2>Adjusted later</h2>\n";
  if (later.empty()) {
    h += "<p>No adjustment for this period has been posted (up to the head above).</p>\n";
  } else {
    h += "<p>Records for this period arrived or changed after it was settled; later statements adjusted it:</p>\n"
         "<table>\n<tr><th>Posted in</th><th>Entry</th><th>Amount (" + Html(cur) + ")</th><th>Explanation</th></tr>\n";
    for (auto& a : later)
      h += "<tr><td>" + Html(Str(a, "posted_in")) + "</td><td>" + Html(Str(a, "seq")) + "</td><td class=\"num\">" + Html(Str(a, "amount")) +
           "</td><td class=\"explain\">" + Html(Str(a, "explain")) + "</td></tr>\n";
    h += "</table>\n";
  }

  h += "<h2>Not assessed</h2>\n";
  if (st["not_assessed"].empty()) h += "<p>Every rule was assessed.</p>\n";
  else {
    h += "<table>\n<tr><th>Kind</th><th>Name</th><th>Reason</th></tr>\n";
    for (auto& n : st["not_assessed"])
      h += "<tr><td>" + Html(Str(n, "kind")) + "</td><td>" + Html(Str(n, "name")) + "</td><td>" + Html(Str(n, "reason")) + "</td></tr>\n";
    h += "</table>\n";
  }
  h += "</body>\n</html>\n";
  return h;
}

}  // namespace

std::string SpreadsheetCsvCell(std::string_view text) {
  std::string cell;
  if (!text.empty() && !IsPlainDecimal(text) &&
      (text[0] == '=' || text[0] == '+' || text[0] == '-' || text[0] == '@' || text[0] == '\t' || text[0] == '\r'))
    cell += '\'';
  cell.append(text);
  if (cell.find_first_of(",\"\r\n") == std::string::npos) return cell;
  std::string q = "\"";
  for (char c : cell) {
    if (c == '"') q += '"';
    q += c;
  }
  q += '"';
  return q;
}

std::string HtmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

Result<ExportSummary> ExportBundle(Ledger& ledger, const ExportOptions& opt) {
  fs::path out = fs::path(opt.out_dir).lexically_normal();
  if (!out.has_filename() && out.has_parent_path()) out = out.parent_path();  // "bundle/" -> "bundle"
  if (opt.out_dir.empty() || out.filename() == "." || out.filename() == "..")
    return Status::Invalid(fmt::format("--out '{}': name a new directory for the bundle", opt.out_dir));
  // Everything that can be refused without the ledger is refused first.
  Pkey key;
  if (!opt.sign_key.empty()) {
    auto k = LoadSigningKey(opt.sign_key);
    if (!k.ok()) return k.status();
    key = std::move(*k);
  }
  if (auto s = CheckOutDir(out); !s.ok()) return s;

  // 1. The whole chain.
  auto rep = ledger.Verify(std::nullopt, opt.progress);
  if (!rep.ok()) return rep.status();
  if (!rep->ok)
    return Status::Integrity(fmt::format("{}: entry {}: {}; nothing exported", ledger.path(), rep->first_bad, rep->reason));
  ExportSummary sum;
  sum.head = rep->head;
  sum.entries = rep->entries;

  // 2. One read snapshot that still has the verified prefix.
  if (auto s = ledger.BeginRead(); !s.ok()) return s;
  struct ReadGuard {
    Ledger& l;
    ~ReadGuard() { l.Rollback(); }
  } guard{ledger};
  if (sum.head.seq > 0) {
    auto anchor = ledger.GetEntry(sum.head.seq);
    if (!anchor.ok()) return anchor.status();
    if (anchor->hash != sum.head.hash)
      return Status::Integrity(fmt::format("{}: entry {} changed while it was being verified; nothing exported", ledger.path(), sum.head.seq));
  }

  // 3. The recorded statement and the contract version that settled it.
  auto recorded = ShowStatement(ledger, opt.contract, opt.period);
  if (!recorded.ok()) return recorded.status();
  const json& st = *recorded;
  int64_t st_seq = st["ledger"]["seq"].get<int64_t>();
  if (st_seq > sum.head.seq)
    return Status::State(fmt::format("period {} of '{}' was settled while the export verified the ledger; run the export again", opt.period,
                                     opt.contract));
  auto st_entry = ledger.GetEntry(st_seq);
  if (!st_entry.ok()) return st_entry.status();
  sum.statement_seq = st_seq;
  sum.statement_hash = st_entry->hash;
  if (!st.contains("version") || !st["version"].is_number_integer() || !st.contains("as_of_seq") || !st["as_of_seq"].is_number_integer())
    return Status::Integrity(fmt::format("statement entry {} has no version or as_of_seq; run reckon verify", st_seq));
  auto crow = ledger.FindContract(opt.contract, st["version"].get<int64_t>());
  if (!crow.ok()) return crow.status();
  if (!*crow) return Status::Integrity(fmt::format("statement entry {}: contract '{}' version {} is not registered", st_seq, opt.contract, st["version"].get<int64_t>()));
  auto c_entry = ledger.GetEntry((*crow)->seq);
  if (!c_entry.ok()) return c_entry.status();
  json cpayload = json::parse(c_entry->payload, nullptr, false);
  if (cpayload.is_discarded() || !cpayload.contains("text") || !cpayload["text"].is_string())
    return Status::Integrity(fmt::format("contract entry {} is malformed; run reckon verify", c_entry->seq));
  std::string contract_text = cpayload["text"].get<std::string>();
  if (ToHex(Sha256(contract_text)) != Str(st, "contract_sha256"))
    return Status::Integrity(fmt::format("statement entry {} names contract text {} but entry {} holds another text", st_seq,
                                         Str(st, "contract_sha256"), c_entry->seq));
  auto loaded = LoadContractText(opt.contract + ".yaml", contract_text);
  if (!loaded.contract)
    return Status::Integrity(fmt::format("contract entry {} no longer loads: {}", c_entry->seq, FormatDiagnostics(loaded.diagnostics, loaded.text)));
  const Contract& k = *loaded.contract;
  auto period = Period::Parse(opt.period, k.period);
  if (!period.ok()) return period.status();

  // 4. Re-evaluate with the inputs the settlement had.
  auto stmts = ledger.Statements(opt.contract);
  if (!stmts.ok()) return stmts.status();
  StatementInput in;
  std::vector<Entry> prior_entries;
  for (auto& s : *stmts) {
    if (s.seq >= st_seq) continue;
    auto e = ledger.GetEntry(s.seq);
    if (!e.ok()) return e.status();
    in.prior.push_back({s.period, json::parse(e->payload, nullptr, false)});
    e->payload.clear();
    prior_entries.push_back(std::move(*e));
  }
  Decisions d;
  in.contract = &k;
  in.period = *period;
  in.as_of_seq = st["as_of_seq"].get<int64_t>();
  in.on_record = [&](const RecordDecision& rd) { d.Add(rd); };
  for (auto& l : st["lines"]) {
    if (Str(l, "kind") == "adjustment") in.carried.push_back({Str(l, "period"), Str(l, "amount"), Str(l, "explain")});
  }
  // Adjustment entries: those this statement posted (for earlier periods) and
  // those later statements posted for this period, up to the head.
  std::vector<Entry> adjustment_entries;
  json later = json::array();
  {
    auto posted = AdjustmentsFor(ledger, opt.contract, opt.period, sum.head.seq);
    if (!posted.ok()) return posted.status();
    for (auto& p : *posted) later.push_back({{"seq", p.seq}, {"posted_in", p.posted_in}, {"amount", p.amount}, {"explain", p.explain}});
    auto rows = ledger.Adjustments(opt.contract);
    if (!rows.ok()) return rows.status();
    for (auto& a : *rows) {
      if (a.seq > sum.head.seq || (a.posted_in != opt.period && a.period != opt.period)) continue;
      auto e = ledger.GetEntry(a.seq);
      if (!e.ok()) return e.status();
      e->payload.clear();
      adjustment_entries.push_back(std::move(*e));
    }
  }
  auto again = ComputeStatement(ledger, in);
  if (!again.ok()) return again.status();
  if (auto s = CheckReproduced(st, *again, d, st_seq); !s.ok()) return s;

  // 5. Write the bundle beside its final place.
  StagingDir stage;
  if (auto s = stage.Create(out); !s.ok()) return s;
  std::vector<std::pair<std::string, std::string>> hashes;  // name, hex
  auto finish = [&](OutFile& f) -> Status {
    auto h = f.Close();
    if (!h.ok()) return h.status();
    hashes.push_back({f.name(), *h});
    return Status::Ok();
  };

  {  // contract.yaml: the registered bytes.
    OutFile f(stage.path(), "contract.yaml");
    f.Write(contract_text);
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // proof.json and records.csv in one pass over the decisions.
    OutFile proof(stage.path(), "proof.json");
    OutFile recs(stage.path(), "records.csv");
    std::string p = "{\n\"format\": \"reckon-export-proof-v1\",\n\"contract\": ";
    AppendJsonString(p, opt.contract);
    p += ",\n\"period\": ";
    AppendJsonString(p, opt.period);
    p += ",\n\"head\": {\"seq\": " + std::to_string(sum.head.seq) + ", \"hash\": \"" + ToHex(sum.head.hash) + "\"},\n";
    p += "\"entries_verified\": " + std::to_string(sum.entries) + ",\n";
    p += "\"contract_entry\": " + EntryJson(*c_entry) + ",\n";
    p += "\"statement_entry\": " + EntryJson(*st_entry) + ",\n";
    p += "\"prior_statement_entries\": [";
    for (size_t i = 0; i < prior_entries.size(); ++i) p += (i ? ",\n" : "\n") + EntryJson(prior_entries[i]);
    p += prior_entries.empty() ? "],\n" : "\n],\n";
    p += "\"adjustment_entries\": [";
    for (size_t i = 0; i < adjustment_entries.size(); ++i) p += (i ? ",\n" : "\n") + EntryJson(adjustment_entries[i]);
    p += adjustment_entries.empty() ? "],\n" : "\n],\n";
    p += "\"record_entries\": [";
    proof.Write(p);
    recs.Write("id,revision,status,reason,seq,hash\n");
    std::string line;
    for (size_t i = 0; i < d.rows.size(); ++i) {
      const auto& r = d.rows[i];
      auto e = ledger.GetEntry(r.seq);
      if (!e.ok()) return e.status();
      if (e->kind != kKindRecord || r.seq > in.as_of_seq)
        return Status::Integrity(fmt::format("entry {} was counted as a record of {} but is a {} entry", r.seq, opt.period, e->kind));
      std::string hex = ToHex(e->hash);
      std::string seq = std::to_string(r.seq);
      recs.Write(CsvRow({d.Id(r), d.Revision(r), r.reason == 0 ? "counted" : "excluded", d.reasons[r.reason], seq, hex}));
      line = (i ? ",\n" : "\n") + EntryJson(*e);
      proof.Write(line);
    }
    proof.Write(d.rows.empty() ? "]\n}\n" : "\n]\n}\n");
    if (auto s = finish(proof); !s.ok()) return s;
    if (auto s = finish(recs); !s.ok()) return s;
    sum.records = int64_t(d.rows.size());
    sum.counted = d.counted;
    sum.excluded = d.excluded + d.voided;
  }
  {  // statement.csv: one row per line.
    OutFile f(stage.path(), "statement.csv");
    f.Write("contract,period,kind,name,amount,currency,adjusts_period,explain\n");
    for (auto& l : st["lines"])
      f.Write(CsvRow({Str(st, "contract"), Str(st, "period"), Str(l, "kind"), Str(l, "name"), Str(l, "amount"), Str(st, "currency"),
                      Str(l, "period"), Str(l, "explain")}));
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // statement.html
    OutFile f(stage.path(), "statement.html");
    f.Write(RenderHtml(st, k, sum.head, sum.entries, d, later));
    if (auto s = finish(f); !s.ok()) return s;
  }
  {  // statement.json: exactly what `reckon show --json` prints.
    OutFile f(stage.path(), "statement.json");
    f.Write(st.dump(2) + "\n");
    if (auto s = finish(f); !s.ok()) return s;
  }
  std::sort(hashes.begin(), hashes.end());
  std::string manifest;
  for (auto& [name, hex] : hashes) {
    manifest += hex + "  " + name + "\n";
    sum.files.push_back(name);
  }
  {
    OutFile f(stage.path(), kManifestFile);
    f.Write(manifest);
    auto h = f.Close();
    if (!h.ok()) return h.status();
    sum.manifest_sha256 = *h;
    sum.files.push_back(kManifestFile);
  }
  if (key) {
    auto sig = SignEd25519(key.get(), manifest);
    if (!sig.ok()) return sig.status();
    OutFile f(stage.path(), kSignatureFile);
    f.Write(*sig);
    if (auto h = f.Close(); !h.ok()) return h.status();
    sum.files.push_back(kSignatureFile);
    sum.signed_ = true;
  }
  if (auto s = stage.Commit(out); !s.ok()) return s;
  sum.out_dir = out.string();
  return sum;
}

}  // namespace reckon
