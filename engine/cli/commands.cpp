// The sub-commands (see commands.h).
#include "engine/cli/commands.h"

#include "dsl/contract.h"
#include "dsl/printable.h"
#include "engine/cli/close_output.h"
#include "engine/cli/status_output.h"
#include "engine/clock.h"
#include "engine/close.h"
#include "engine/contract_arg.h"
#include "engine/ledger_status.h"
#include "engine/registration.h"
#include "engine/reconcile/reconcile.h"
#include "engine/reconcile/writers.h"
#include "engine/report/report.h"
#include "engine/registry.h"
#include "engine/show.h"
#include "engine/statement.h"
#include "ledger/chain.h"
#include "ledger/copy.h"
#include "ledger/ledger.h"
#include "ledger/postgres/connection.h"
#include "ledger/upgrade.h"

#include <fmt/format.h>

#include <cstdlib>
#include <filesystem>

namespace reckon::cli {

namespace {

using json = nlohmann::json;

json HeadJson(const Head& h) { return {{"seq", h.seq}, {"hash", ToHex(h.hash)}}; }

Result<std::unique_ptr<Ledger>> OpenLedger(const Common& c, Ledger::Mode mode) { return Ledger::Open(LedgerPath(c), mode); }

// A refused command writes nothing, not even a new empty ledger: when the
// ledger file did not exist before the command and the command fails, the
// files it created are removed again.
class NewLedgerGuard {
 public:
  explicit NewLedgerGuard(std::string path) : path_(std::move(path)), existed_(std::filesystem::exists(path_)) {}
  // Another process may have opened the new ledger meanwhile: it is removed
  // only while still empty, under its write lock (Ledger::RemoveIfEmpty).
  void Failed(std::unique_ptr<Ledger>& ledger) {
    if (!existed_) Ledger::RemoveIfEmpty(ledger);
  }

 private:
  std::string path_;
  bool existed_;
};

}  // namespace

namespace {

// Whether a ledger is there: a file, or a PostgreSQL database with reckon's tables.
bool LedgerExists(const std::string& path) {
  if (IsPostgresUrl(path)) return Ledger::Open(path, Ledger::Mode::kReadOnly).ok();
  return std::filesystem::exists(path);
}

}  // namespace

std::string LedgerPath(const Common& c) {
  if (c.ledger_given) return c.ledger;
  if (const char* env = std::getenv("RECKON_LEDGER"); env && *env) return env;
  return "reckon.db";
}

int CmdCheck(Io& io, const Common& c, const std::vector<std::string>& files) {
  json report = json::array();
  json errors = json::array();
  int bad = 0;
  std::vector<std::shared_ptr<const Contract>> good;
  // The ledger, when there is one: overlaps with registered contracts, and
  // the hint for a registered id given where a file belongs.
  std::unique_ptr<Ledger> ledger;
  if (LedgerExists(LedgerPath(c))) {
    auto opened = OpenLedger(c, Ledger::Mode::kReadOnly);
    if (!opened.ok()) return io.Fail(opened.status());
    ledger = std::move(*opened);
  }
  for (auto& f : files) {
    auto loaded = LoadContractFile(f);
    if (!loaded.contract && ledger) {
      std::string hint = RegisteredIdHint(*ledger, f, "check");
      if (!hint.empty()) loaded.diagnostics = {{{f, 0, 0}, hint}};
    }
    json item = {{"file", f}, {"ok", loaded.contract != nullptr}};
    if (loaded.contract) {
      item["contract"] = loaded.contract->id;
      item["version"] = loaded.contract->version;
      if (!io.json())
        io.Out(fmt::format("{}: ok (contract {} version {}, {} metrics, {} fees, {} penalties, {} rewards)\n", f, loaded.contract->id,
                           loaded.contract->version, loaded.contract->metrics.size(), loaded.contract->fees.size(),
                           loaded.contract->penalties.size(), loaded.contract->rewards.size()));
    } else {
      ++bad;
      io.Err(FormatDiagnostics(loaded.diagnostics, loaded.text));
      json errs = json::array();
      for (auto& d : loaded.diagnostics) {
        json e = {{"file", d.pos.file.empty() ? f : d.pos.file}, {"message", d.message}};
        if (d.pos.line > 0) e["line"] = d.pos.line;
        if (d.pos.col > 0) e["col"] = d.pos.col;
        errors.push_back(e);
        e.erase("file");
        errs.push_back(std::move(e));
      }
      item["errors"] = errs;
      if (!io.json()) io.Err(fmt::format("{}: {} error(s)\n", f, loaded.diagnostics.size()));
    }
    if (loaded.contract) good.push_back(std::shared_ptr<const Contract>(std::move(loaded.contract)));
    report.push_back(item);
  }
  // Overlapping contracts of one vendor, among the files and the contracts
  // registered in the ledger (when there is one).
  auto warnings = OverlapWarningsWith(ledger.get(), std::move(good));
  if (!warnings.ok()) return io.Fail(warnings.status());
  for (auto& w : *warnings) io.Err("warning: " + w + "\n");
  if (io.json()) {
    json j = {{"ok", bad == 0}, {"files", report}, {"warnings", *warnings}};
    if (bad) {
      j["exit"] = 1;
      j["errors"] = errors;
    }
    io.Json(j);
  }
  return bad ? 1 : 0;
}

int CmdIngest(Io& io, const Common& c, IngestOptions& opt) {
  IngestSummary sum;
  // Options, contract, mapping and inputs are checked before the ledger is opened
  // (or created): a refusal there leaves no file behind.
  auto inputs = PrepareIngest(opt, sum);
  if (!inputs.ok()) return io.Fail(inputs.status(), sum.errors);
  NewLedgerGuard guard(LedgerPath(c));
  auto ledger = OpenLedger(c, Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return io.Fail(ledger.status());
  bool tty = io.StderrIsTty();
  Status s = Ingest(**ledger, **inputs, sum, [&](int64_t rows) {
    if (tty) io.Err(fmt::format("\r{} rows read...", rows));
  });
  if (tty && sum.rows >= 0x10000) io.Err("\n");
  if (!s.ok()) {
    guard.Failed(*ledger);
    std::vector<std::string> details = sum.errors;
    if (sum.error_count > int64_t(sum.errors.size()))
      details.push_back(fmt::format("... and {} more error(s)", sum.error_count - int64_t(sum.errors.size())));
    return io.Fail(s, details);
  }
  // Records no registered contract covers: stored, but named on stderr.
  json uncovered = json::object();
  std::vector<std::string> uncovered_text;
  for (auto& u : sum.uncovered) {
    uncovered[u.vendor] = u.records;
    uncovered_text.push_back(fmt::format("{} of {}", u.records, Printable(u.vendor)));
    io.Err(fmt::format("warning: vendor {} has no registered contract{}; its {} record(s) of this run are stored but no settlement "
                       "counts them\n",
                       Printable(u.vendor), u.suggestion.empty() ? std::string() : fmt::format(" (did you mean {}?)", Printable(u.suggestion)),
                       u.records));
  }
  json j = {{"rows", sum.rows}, {"accepted", sum.accepted}, {"duplicates", sum.duplicates}, {"rejected", sum.rejected},
            {"late", sum.late}, {"uncovered", uncovered}, {"head", HeadJson(sum.head)}};
  if (!sum.rejects_files.empty()) j["rejects_files"] = sum.rejects_files;
  if (io.json()) io.Json(j);
  else {
    io.Out(fmt::format("{} rows: {} accepted, {} duplicates, {} rejected ({} late)\n", sum.rows, sum.accepted, sum.duplicates,
                       sum.rejected, sum.late));
    if (!uncovered_text.empty())
      io.Out(fmt::format("uncovered: {} (no registered contract has the vendor)\n", fmt::join(uncovered_text, ", ")));
    for (auto& r : sum.rejects_files) io.Out(fmt::format("rejected rows written to {}\n", r));
    io.Out(fmt::format("ledger head {}\n", sum.head.ToString()));
  }
  return 0;
}

int CmdRegister(Io& io, const Common& c, const std::vector<std::string>& files) {
  NewLedgerGuard guard(LedgerPath(c));
  auto ledger = OpenLedger(c, Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return io.Fail(ledger.status());
  for (auto& f : files) {
    std::string hint = RegisteredIdHint(**ledger, f, "register");
    if (!hint.empty()) {
      guard.Failed(*ledger);
      return io.Fail(Status::Invalid(fmt::format("{}: {}; nothing registered", f, hint)));
    }
  }
  auto r = RegisterContracts(**ledger, files);
  if (!r.ok()) {
    guard.Failed(*ledger);
    return io.Fail(r.status());
  }
  for (auto& w : r->warnings) io.Err("warning: " + w + "\n");
  if (io.json()) {
    json list = json::array();
    for (auto& rc : r->contracts)
      list.push_back({{"file", rc.file}, {"contract", rc.contract}, {"version", rc.version}, {"vendor", rc.vendor}, {"seq", rc.seq},
                      {"written", rc.written}});
    io.Json({{"ok", true}, {"contracts", list}, {"warnings", r->warnings}, {"head", HeadJson(r->head)}});
    return 0;
  }
  for (auto& rc : r->contracts)
    io.Out(fmt::format("{}: contract {} version {} (vendor {}) {} entry {}\n", rc.file, rc.contract, rc.version, rc.vendor,
                       rc.written ? "registered as" : "already registered as", rc.seq));
  io.Out(fmt::format("ledger head {}\n", r->head.ToString()));
  return 0;
}

int CmdSettle(Io& io, const Common& c, SettleOptions opt) {
  auto now = Now();
  if (!now.ok()) return io.Fail(now.status());
  opt.now = *now;
  // --dry-run writes nothing: not even a new, empty ledger file.
  NewLedgerGuard guard(LedgerPath(c));
  auto ledger = OpenLedger(c, opt.dry_run ? Ledger::Mode::kReadOnly : Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto r = Settle(**ledger, opt);
  if (!r.ok()) {
    guard.Failed(*ledger);
    return io.Fail(r.status());
  }
  if (io.json()) {
    json j = StatementOutputJson(r->statement);
    j["written"] = r->written;
    if (r->preview) {
      j["preview"] = true;
      j["as_of"] = r->as_of;
    }
    io.Json(j);
  } else {
    if (r->already_settled) io.Out(fmt::format("Period {} is already settled; this is the recorded statement.\n", opt.period));
    if (r->preview)
      io.Out(fmt::format("PREVIEW as of {}: period {} has not ended (it can be settled from {}); figures are to date.\n", r->as_of,
                         opt.period, FormatInZone(*r->contract, r->due.due)));
    const Contract* version = r->contract && r->contract->version == r->statement.version ? r->contract.get() : nullptr;
    io.Out(RenderStatementText(r->statement, version));
  }
  return 0;
}

int CmdClose(Io& io, const Common& c, const std::string& period, const std::vector<std::string>& contracts) {
  auto now = Now();
  if (!now.ok()) return io.Fail(now.status());
  // Closing needs registered contracts: a missing ledger is not created.
  if (!LedgerExists(LedgerPath(c)))
    return io.Fail(Status::Invalid(fmt::format("no ledger at '{}': register the contracts (reckon register) and ingest their records first",
                                               LedgerPath(c))));
  auto ledger = OpenLedger(c, Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto r = ClosePeriod(**ledger, period, contracts, *now);
  if (!r.ok()) return io.Fail(r.status());
  if (io.json()) {
    json list = json::array();
    for (auto& cc : r->contracts) {
      json item = {{"contract", cc.contract}, {"version", cc.version ? json(cc.version) : json(nullptr)}, {"vendor", cc.vendor}, {"currency", cc.currency},
                   {"period", cc.period}, {"status", CloseStatusName(cc.status)}, {"net", cc.net ? json(cc.net->Text()) : json(nullptr)}};
      if (cc.seq) item["seq"] = *cc.seq;
      if (!cc.reason.empty()) item["reason"] = cc.reason;
      if (cc.exit_code) item["exit"] = cc.exit_code;
      list.push_back(item);
    }
    json totals = json::object();
    for (auto& [cur, m] : r->totals) totals[cur] = m.Text();
    json j = {{"ok", r->exit_code == 0}, {"period", r->period}, {"contracts", list}, {"totals", totals}};
    if (r->exit_code) j["exit"] = r->exit_code;
    io.Json(j);
  } else {
    io.Out(RenderCloseText(*r));
  }
  // The text table already shows each reason; with --json, stderr names the refusals too.
  if (io.json())
    for (auto& cc : r->contracts)
      if (cc.status == CloseStatus::kRefused) io.Err(fmt::format("{}: {}\n", cc.contract, cc.reason));
  return r->exit_code;
}

int CmdShow(Io& io, const Common& c, const std::string& contract, const std::string& period, bool restated) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto id = ResolveContractId(**ledger, contract);
  if (!id.ok()) return io.Fail(id.status());
  if (restated) {
    auto r = ShowRestated(**ledger, *id, period);
    if (!r.ok()) return io.Fail(r.status());
    if (io.json()) io.Json(RestatedJson(*r));
    else io.Out(RenderRestatedText(*r));
    return 0;
  }
  auto shown = ShowPeriod(**ledger, *id, period);
  if (!shown.ok()) return io.Fail(shown.status());
  // --json stays the recorded statement; the text lists later adjustments too.
  if (io.json()) io.Json(StatementOutputJson(shown->statement));
  else io.Out(RenderShownText(*shown));
  return 0;
}

int CmdStatus(Io& io, const Common& c, const std::string& only) {
  auto now = Now();
  if (!now.ok()) return io.Fail(now.status());
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto st = ReadLedgerStatus(**ledger, only, *now);
  if (!st.ok()) return io.Fail(st.status());
  if (io.json()) io.Json(StatusJson(*st));
  else io.Out(RenderStatusText(*st, (*ledger)->path()));
  return 0;
}

int CmdVerify(Io& io, const Common& c, const std::string& expect_head, const std::string& since_head) {
  std::optional<Head> expect, since;
  if (!expect_head.empty()) {
    expect = ParseHead(expect_head);
    if (!expect)
      return io.Fail(Status::Usage(fmt::format("--expect-head '{}' is not SEQ:HASH (a number, a colon, 64 hex digits)", expect_head)));
    if (expect->seq < 1)
      return io.Fail(Status::Usage(fmt::format("--expect-head {}: entry 0 is not an anchor; pass the SEQ:HASH (SEQ 1 or more) that a statement, "
                                               "`reckon status` or an export printed",
                                               expect_head)));
  }
  if (!since_head.empty()) {
    since = ParseHead(since_head);
    if (!since)
      return io.Fail(Status::Usage(fmt::format("--since '{}' is not SEQ:HASH (a number, a colon, 64 hex digits); pass the head the last "
                                               "verify printed",
                                               since_head)));
    if (since->seq < 1)
      return io.Fail(Status::Usage(fmt::format("--since {}: entry 0 is not an anchor; run reckon verify without --since to check from entry 1",
                                               since_head)));
  }
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  bool tty = io.StderrIsTty();
  auto rep = (*ledger)->Verify(
      expect, [&](int64_t done, int64_t total) {
        if (tty) io.Err(fmt::format("\rverified {} of {} entries...", done, total));
      },
      since);
  if (tty) io.Err("\r");
  if (!rep.ok()) return io.Fail(rep.status());
  std::string failure = rep->ok ? "" : fmt::format("{}: entry {}: {}", (*ledger)->path(), rep->first_bad, rep->reason);
  if (io.json()) {
    json j = {{"ok", rep->ok}, {"entries", rep->entries}, {"head", HeadJson(rep->head)}};
    if (since) j["since"] = HeadJson(*since);
    if (!rep->ok) {
      j["first_bad"] = rep->first_bad;
      j["reason"] = rep->reason;
      j["exit"] = 3;
      j["errors"] = json::array({{{"message", failure}}});
    }
    io.Json(j);
  } else if (rep->ok) {
    if (since && rep->entries == since->seq)
      io.Out(fmt::format("ok: the anchor {} is the head; no entries after it\n", since->ToString()));
    else if (since)
      io.Out(fmt::format("ok: entries {} to {} verified after the anchor {}; head {}\n", since->seq + 1, rep->entries, since->ToString(),
                         rep->head.ToString()));
    else
      io.Out(fmt::format("ok: {} entries verified; head {}\n", rep->entries, rep->head.ToString()));
  }
  if (!rep->ok) {
    io.Err(failure + "\n");
    return 3;
  }
  return 0;
}

int CmdLedgerUpgrade(Io& io, const Common& c) {
  // A PostgreSQL ledger was never written in format 1: nothing to rebuild,
  // only the verification.
  const bool postgres = IsPostgresUrl(LedgerPath(c));
  UpgradeResult none;
  auto up = postgres ? Result<UpgradeResult>(none) : UpgradeLedger(LedgerPath(c));
  if (!up.ok()) return io.Fail(up.status());
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  const std::string path = (*ledger)->path();  // an address without its password
  auto rep = (*ledger)->Verify();
  if (!rep.ok()) return io.Fail(rep.status());
  if (io.json()) {
    json j = {{"upgraded", up->upgraded}, {"format", kLedgerFormat}, {"records", up->records}, {"ok", rep->ok}, {"head", HeadJson(rep->head)}};
    if (up->upgraded) j["from"] = up->from, j["filters"] = up->filters;
    if (!rep->ok) j["first_bad"] = rep->first_bad, j["reason"] = rep->reason;
    io.Json(j);
  } else if (!up->upgraded) {
    io.Out(fmt::format("ledger '{}' already has format {}; nothing to do\n", path, kLedgerFormat));
  } else {
    io.Out(fmt::format("ledger '{}' upgraded to format {}: {}, {} key filter(s) written\n", path, kLedgerFormat,
                       up->from == 1 ? fmt::format("{} records rows rebuilt from their entries", up->records)
                                     : fmt::format("the key index of {} records rows rebuilt by key generation", up->records),
                       up->filters));
  }
  if (!rep->ok) {
    io.Err(fmt::format("{}: entry {}: {}\n", path, rep->first_bad, rep->reason));
    return 3;
  }
  if (!io.json()) io.Out(fmt::format("verified: {} entries; head {}\n", rep->entries, rep->head.ToString()));
  return 0;
}

int CmdExport(Io& io, const Common& c, ExportOptions opt) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto id = ResolveContractId(**ledger, opt.contract);
  if (!id.ok()) return io.Fail(id.status());
  opt.contract = *id;
  bool tty = io.StderrIsTty();
  opt.progress = [&](int64_t done, int64_t total) {
    if (tty) io.Err(fmt::format("\rverified {} of {} entries...", done, total));
  };
  auto r = ExportBundle(**ledger, opt);
  if (tty) io.Err("\r");
  if (!r.ok()) return io.Fail(r.status());
  if (io.json()) {
    io.Json({{"ok", true}, {"out", r->out_dir}, {"contract", opt.contract}, {"period", opt.period}, {"files", r->files},
             {"records", r->records}, {"counted", r->counted}, {"excluded", r->excluded}, {"late_records", r->late_records}, {"entries", r->entries},
             {"head", HeadJson(r->head)}, {"statement", {{"seq", r->statement_seq}, {"hash", ToHex(r->statement_hash)}}},
             {"manifest_sha256", r->manifest_sha256}, {"signed", r->signed_}});
  } else {
    io.Out(fmt::format("exported {} {} to {}: {} files, {} records ({} counted, {} excluded){}{}\n", opt.contract, opt.period, r->out_dir,
                       r->files.size(), r->records, r->counted, r->excluded,
                       r->late_records ? fmt::format(", {} behind its adjustments", r->late_records) : "", r->signed_ ? ", manifest signed" : ""));
    io.Out(fmt::format("chain verified: {} entries; head {}\n", r->entries, r->head.ToString()));
  }
  return 0;
}

// The registered version of `id` in force for `period_id` (read in its own
// read transaction).
int CmdReconcile(Io& io, const Common& c, const ReconcileCliOptions& opt) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  Period period;
  auto contract = ContractInForce(**ledger, opt.contract, opt.period, period);
  if (!contract.ok()) return io.Fail(contract.status());
  ReconciliationFiles files;
  ReconcileRowSink sink;
  if (!opt.out.empty()) {
    if (auto s = files.Open(opt.out); !s.ok()) return io.Fail(s);
    files.Begin((*contract)->id, period.Id());
    sink = [&](const ReconcileRow& row) { return files.Row(row); };
  }
  std::vector<std::string> details;
  auto sum = Reconcile(**ledger, **contract, period, {opt.claims, opt.map}, sink, details);
  if (!sum.ok()) return io.Fail(sum.status(), details);
  std::vector<std::string> written;
  if (!opt.out.empty()) {
    auto w = files.Finish(*sum);
    if (!w.ok()) return io.Fail(w.status());
    written = std::move(*w);
  }
  bool agree = sum->Agrees();
  if (io.json()) {
    json j = SummaryJson(*sum);
    j["ok"] = true;
    j["exit"] = agree ? 0 : 5;
    if (!opt.out.empty()) {
      j["out"] = files.out_dir();
      j["files"] = written;
    }
    io.Json(j);
  } else {
    io.Out(SummaryText(*sum));
    if (!opt.out.empty()) io.Out(fmt::format("Wrote {} to {}\n", fmt::join(written, ", "), files.out_dir()));
    else if (!agree) io.Out("Write the dispute file with --out DIR.\n");
  }
  return agree ? 0 : 5;
}

int CmdReport(Io& io, const Common& c, const std::string& out, const std::string& from, const std::string& to,
              const std::vector<std::string>& contracts) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return io.Fail(ledger.status());
  auto r = WriteReport(**ledger, {from, to, contracts}, out);
  if (!r.ok()) return io.Fail(r.status());
  if (io.json())
    io.Json({{"ok", true}, {"out", r->out_dir}, {"files", r->files}, {"contracts", r->contracts}, {"periods", r->periods}});
  else
    io.Out(fmt::format("Wrote {} to {}: {} contracts, {} settled periods\n", fmt::join(r->files, ", "), r->out_dir, r->contracts, r->periods));
  return 0;
}

int CmdLedgerCopy(Io& io, const std::string& src, const std::string& dst) {
  if (src.empty() || dst.empty()) return io.Fail(Status::Usage("ledger copy: an empty SRC or DST names nothing; give a file or a postgresql:// address"));
  auto r = CopyLedger(src, dst);
  if (!r.ok()) return io.Fail(r.status());
  if (io.json()) {
    io.Json({{"ok", true}, {"entries", r->entries}, {"head", HeadJson(r->head)}});
  } else {
    io.Out(fmt::format("copied {} entries from {} to {}; head {}\n", r->entries, DisplayUrl(src), DisplayUrl(dst), r->head.ToString()));
  }
  return 0;
}

}  // namespace reckon::cli
