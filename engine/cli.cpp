// Cli implementation: option parsing, output formatting and exit codes.
#include "engine/cli.h"

#include "engine/adjustment.h"

#include "dsl/contract.h"
#include "engine/export.h"
#include "engine/ingest.h"
#include "engine/settle.h"
#include "engine/statement.h"
#include "ledger/ledger.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>
#include <filesystem>

namespace reckon {

namespace {

using json = nlohmann::json;

struct Common {
  std::string ledger;
  bool json = false;
};

struct Io {
  std::FILE* out;
  std::FILE* err;
  void Out(const std::string& s) { std::fwrite(s.data(), 1, s.size(), out); }
  // Flushes stdout first so that a transcript of both streams keeps the order.
  void Err(const std::string& s) {
    std::fflush(out);
    std::fwrite(s.data(), 1, s.size(), err);
  }
  void Json(const json& j) { Out(j.dump(2) + "\n"); }
};

std::string LedgerPath(const Common& c) {
  if (!c.ledger.empty()) return c.ledger;
  if (const char* env = std::getenv("RECKON_LEDGER"); env && *env) return env;
  return "reckon.db";
}

int Fail(Io& io, const Status& s) {
  std::string msg = s.ToString();
  if (!msg.empty() && msg.back() != '\n') msg += '\n';
  io.Err(msg);
  return exit_code(s.kind());
}

json HeadJson(const Head& h) { return {{"seq", h.seq}, {"hash", ToHex(h.hash)}}; }

bool StderrIsTty(Io& io) { return io.err == stderr && isatty(fileno(stderr)); }

int CmdCheck(Io& io, const Common& c, const std::vector<std::string>& files) {
  json report = json::array();
  int bad = 0;
  for (auto& f : files) {
    auto loaded = LoadContractFile(f);
    json item = {{"file", f}, {"ok", loaded.contract != nullptr}};
    if (loaded.contract) {
      item["contract"] = loaded.contract->id;
      item["version"] = loaded.contract->version;
      if (!c.json) io.Out(fmt::format("{}: ok (contract {} version {}, {} metrics, {} fees, {} penalties, {} rewards)\n", f, loaded.contract->id,
                                      loaded.contract->version, loaded.contract->metrics.size(), loaded.contract->fees.size(),
                                      loaded.contract->penalties.size(), loaded.contract->rewards.size()));
    } else {
      ++bad;
      io.Err(FormatDiagnostics(loaded.diagnostics, loaded.text));
      json errs = json::array();
      for (auto& d : loaded.diagnostics) errs.push_back({{"line", d.pos.line}, {"col", d.pos.col}, {"message", d.message}});
      item["errors"] = errs;
      if (!c.json) io.Err(fmt::format("{}: {} error(s)\n", f, loaded.diagnostics.size()));
    }
    report.push_back(item);
  }
  if (c.json) io.Json({{"ok", bad == 0}, {"files", report}});
  return bad ? 1 : 0;
}

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

int CmdIngest(Io& io, const Common& c, IngestOptions& opt, const std::string& format) {
  if (!format.empty()) opt.format = format == "csv" ? RowFormat::kCsv : RowFormat::kJsonl;
  for (auto& f : opt.files) {
    if (f == "-" && !opt.format) return Fail(io, Status::Usage("reading stdin ('-') needs --format csv or --format jsonl"));
  }
  IngestSummary sum;
  // Options, contract, mapping and inputs are checked before the ledger is opened
  // (or created): a refusal there leaves no file behind.
  auto inputs = PrepareIngest(opt, sum);
  if (!inputs.ok()) {
    for (auto& e : sum.errors) io.Err(e + "\n");
    return Fail(io, inputs.status());
  }
  NewLedgerGuard guard(LedgerPath(c));
  auto ledger = OpenLedger(c, Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return Fail(io, ledger.status());
  bool tty = StderrIsTty(io);
  Status s = Ingest(**ledger, **inputs, sum, [&](int64_t rows) {
    if (tty) io.Err(fmt::format("\r{} rows read...", rows));
  });
  if (tty && sum.rows >= 0x10000) io.Err("\n");
  if (!s.ok()) {
    guard.Failed(*ledger);
    for (auto& e : sum.errors) io.Err(e + "\n");
    if (sum.error_count > int64_t(sum.errors.size()))
      io.Err(fmt::format("... and {} more error(s)\n", sum.error_count - int64_t(sum.errors.size())));
    return Fail(io, s);
  }
  json j = {{"rows", sum.rows}, {"accepted", sum.accepted}, {"duplicates", sum.duplicates}, {"rejected", sum.rejected},
            {"late", sum.late}, {"head", HeadJson(sum.head)}};
  if (!sum.rejects_files.empty()) j["rejects_files"] = sum.rejects_files;
  if (c.json) io.Json(j);
  else {
    io.Out(fmt::format("{} rows: {} accepted, {} duplicates, {} rejected ({} late)\n", sum.rows, sum.accepted, sum.duplicates,
                       sum.rejected, sum.late));
    for (auto& r : sum.rejects_files) io.Out(fmt::format("rejected rows written to {}\n", r));
    io.Out(fmt::format("ledger head {}\n", sum.head.ToString()));
  }
  return 0;
}

int CmdSettle(Io& io, const Common& c, const SettleOptions& opt) {
  // --dry-run writes nothing: not even a new, empty ledger file.
  NewLedgerGuard guard(LedgerPath(c));
  auto ledger = OpenLedger(c, opt.dry_run ? Ledger::Mode::kReadOnly : Ledger::Mode::kReadWrite);
  if (!ledger.ok()) return Fail(io, ledger.status());
  auto r = Settle(**ledger, opt);
  if (!r.ok()) {
    guard.Failed(*ledger);
    return Fail(io, r.status());
  }
  if (c.json) io.Json(r->statement);
  else {
    if (r->already_settled) io.Out(fmt::format("Period {} is already settled; this is the recorded statement.\n", opt.period));
    io.Out(RenderStatementText(r->statement));
  }
  return 0;
}

int CmdShow(Io& io, const Common& c, const std::string& contract, const std::string& period) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return Fail(io, ledger.status());
  if (auto s = (*ledger)->BeginRead(); !s.ok()) return Fail(io, s);
  auto st = ShowStatement(**ledger, contract, period);
  if (!st.ok()) {
    (*ledger)->Rollback();
    return Fail(io, st.status());
  }
  if (c.json) {
    (*ledger)->Rollback();
    io.Json(*st);
    return 0;
  }
  // The recorded statement never changes; what later statements posted for
  // its period is listed after it (text only: --json stays the statement).
  auto later = AdjustmentsFor(**ledger, contract, period, (*ledger)->head().seq);
  (*ledger)->Rollback();
  if (!later.ok()) return Fail(io, later.status());
  std::string text = RenderStatementText(*st);
  for (auto& a : *later)
    text += fmt::format("Adjusted in {} (entry {}): {} {}\n  {}\n", a.posted_in, a.seq, a.amount, st->value("currency", ""), a.explain);
  io.Out(text);
  return 0;
}

int CmdStatus(Io& io, const Common& c, const std::string& only) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return Fail(io, ledger.status());
  Ledger& l = **ledger;
  if (auto s = l.BeginRead(); !s.ok()) return Fail(io, s);
  auto contracts = l.Contracts();
  if (!contracts.ok()) return Fail(io, contracts.status());
  auto records = l.RecordCount();
  if (!records.ok()) return Fail(io, records.status());
  json list = json::array();
  std::string text;
  std::vector<std::string> seen;
  for (auto& row : *contracts) {
    if (!only.empty() && row.contract != only) continue;
    if (std::find(seen.begin(), seen.end(), row.contract) != seen.end()) continue;
    seen.push_back(row.contract);
    auto stmts = l.Statements(row.contract);
    if (!stmts.ok()) return Fail(io, stmts.status());
    json settled = json::array();
    std::vector<int64_t> versions;
    for (auto& v : *contracts) if (v.contract == row.contract) versions.push_back(v.version);
    for (auto& s : *stmts) settled.push_back(s.period);
    // The next open period: the one after the last settled (periods are
    // settled in order); its kind follows from the id's form.
    json next = nullptr;
    if (!stmts->empty()) {
      for (auto kind : {PeriodKind::kMonthly, PeriodKind::kQuarterly, PeriodKind::kYearly}) {
        auto p = Period::Parse(stmts->back().period, kind);
        if (p.ok()) { next = p->Next().Id(); break; }
      }
    }
    list.push_back({{"contract", row.contract}, {"vendor", row.vendor}, {"versions", versions}, {"settled", settled}, {"next", next}});
    text += fmt::format("  {} (vendor {}, version{} {}): settled {}{}\n", row.contract, row.vendor, versions.size() > 1 ? "s" : "",
                        fmt::join(versions, ", "), settled.empty() ? std::string("none") : fmt::format("{}", fmt::join(settled, ", ")),
                        next.is_null() ? std::string() : "; next open period " + next.get<std::string>());
  }
  Head head = l.head();
  l.Rollback();
  if (!only.empty() && seen.empty()) return Fail(io, Status::Invalid(fmt::format("no contract '{}' in ledger '{}'", only, l.path())));
  if (c.json) {
    io.Json({{"head", HeadJson(head)}, {"contracts", list}, {"records", *records}});
  } else {
    io.Out(fmt::format("Ledger {}: {} entries, {} records\n", l.path(), head.seq, *records));
    io.Out(fmt::format("Head: {}\n", head.ToString()));
    io.Out(list.empty() ? "Contracts: none registered\n" : "Contracts:\n" + text);
  }
  return 0;
}

int CmdVerify(Io& io, const Common& c, const std::string& expect_head) {
  std::optional<Head> expect;
  if (!expect_head.empty()) {
    expect = ParseHead(expect_head);
    if (!expect) return Fail(io, Status::Usage(fmt::format("--expect-head '{}' is not SEQ:HASH (a number, a colon, 64 hex digits)", expect_head)));
  }
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return Fail(io, ledger.status());
  bool tty = StderrIsTty(io);
  auto rep = (*ledger)->Verify(expect, [&](int64_t done, int64_t total) {
    if (tty) io.Err(fmt::format("\rverified {} of {} entries...", done, total));
  });
  if (tty) io.Err("\r");
  if (!rep.ok()) return Fail(io, rep.status());
  if (c.json) {
    json j = {{"ok", rep->ok}, {"entries", rep->entries}, {"head", HeadJson(rep->head)}};
    if (!rep->ok) { j["first_bad"] = rep->first_bad; j["reason"] = rep->reason; }
    io.Json(j);
  } else if (rep->ok) {
    io.Out(fmt::format("ok: {} entries verified; head {}\n", rep->entries, rep->head.ToString()));
  }
  if (!rep->ok) {
    io.Err(fmt::format("{}: entry {}: {}\n", (*ledger)->path(), rep->first_bad, rep->reason));
    return 3;
  }
  return 0;
}

int CmdExport(Io& io, const Common& c, ExportOptions opt) {
  auto ledger = OpenLedger(c, Ledger::Mode::kReadOnly);
  if (!ledger.ok()) return Fail(io, ledger.status());
  bool tty = StderrIsTty(io);
  opt.progress = [&](int64_t done, int64_t total) {
    if (tty) io.Err(fmt::format("\rverified {} of {} entries...", done, total));
  };
  auto r = ExportBundle(**ledger, opt);
  if (tty) io.Err("\r");
  if (!r.ok()) return Fail(io, r.status());
  if (c.json) {
    io.Json({{"ok", true}, {"out", r->out_dir}, {"contract", opt.contract}, {"period", opt.period}, {"files", r->files},
             {"records", r->records}, {"counted", r->counted}, {"excluded", r->excluded}, {"entries", r->entries},
             {"head", HeadJson(r->head)}, {"statement", {{"seq", r->statement_seq}, {"hash", ToHex(r->statement_hash)}}},
             {"manifest_sha256", r->manifest_sha256}, {"signed", r->signed_}});
  } else {
    io.Out(fmt::format("exported {} {} to {}: {} files, {} records ({} counted, {} excluded){}\n", opt.contract, opt.period, r->out_dir,
                       r->files.size(), r->records, r->counted, r->excluded, r->signed_ ? ", manifest signed" : ""));
    io.Out(fmt::format("chain verified: {} entries; head {}\n", r->entries, r->head.ToString()));
  }
  return 0;
}

}  // namespace

int RunCli(int argc, char** argv, std::FILE* out, std::FILE* err) {
  Io io{out, err};
  CLI::App app{"reckon: settles outcome-based contracts into a hash-chained ledger", "reckon"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  Common common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--ledger", common.ledger, "Ledger file (default: $RECKON_LEDGER or reckon.db)");
    cmd->add_flag("--json", common.json, "Machine-readable output on stdout");
  };
  add_common(&app);

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "Parse and type-check contracts; print every problem with file:line:col");
  check->add_option("CONTRACT", check_files, "Contract files")->required();
  add_common(check);

  IngestOptions ingest_opt;
  std::string format, vendor, timezone, contract_path, map_path;
  auto* ingest = app.add_subcommand("ingest", "Append outcome records (CSV or JSONL) to the ledger, atomically");
  ingest->add_option("FILE", ingest_opt.files, "Record files (.csv, .jsonl; '-' = stdin with --format)")->required();
  ingest->add_option("--contract", contract_path, "Check records against this contract's typed fields");
  ingest->add_option("--vendor", vendor, "Vendor of rows that have no vendor column");
  ingest->add_option("--map", map_path, "Column mapping (YAML)");
  ingest->add_option("--timezone", timezone, "IANA zone of timestamps written without one");
  ingest->add_flag("--skip-invalid", ingest_opt.skip_invalid, "Write valid rows; send invalid ones to a rejects file");
  ingest->add_option("--format", format, "csv or jsonl (default: by extension)")->check(CLI::IsMember({"csv", "jsonl"}));
  add_common(ingest);

  SettleOptions settle_opt;
  auto* settle = app.add_subcommand("settle", "Settle one billing period: compute, record and print the statement");
  settle->add_option("--contract", settle_opt.contract_path, "Contract file")->required();
  settle->add_option("--period", settle_opt.period, "Period: 2026-10, 2026-Q4 or 2026")->required();
  settle->add_flag("--dry-run", settle_opt.dry_run, "Compute and print without writing");
  add_common(settle);

  std::string show_contract, show_period;
  auto* show = app.add_subcommand("show", "Print a recorded statement");
  show->add_option("--contract", show_contract, "Contract id")->required();
  show->add_option("--period", show_period, "Period")->required();
  add_common(show);

  std::string status_contract;
  auto* status = app.add_subcommand("status", "Contracts, settled periods, record count and ledger head");
  status->add_option("--contract", status_contract, "Only this contract id");
  add_common(status);

  std::string expect_head;
  auto* verify = app.add_subcommand("verify", "Recompute the hash chain and every derived table");
  verify->add_option("--expect-head", expect_head, "Anchor SEQ:HASH kept from a statement or export");
  add_common(verify);

  ExportOptions export_opt;
  auto* exp = app.add_subcommand("export", "Write the audit bundle of a settled period (verifies the chain first)");
  exp->add_option("--contract", export_opt.contract, "Contract id")->required();
  exp->add_option("--period", export_opt.period, "Period")->required();
  exp->add_option("--out", export_opt.out_dir, "New (or empty) directory for the bundle")->required();
  exp->add_option("--sign", export_opt.sign_key, "PEM Ed25519 private key: also write MANIFEST.sha256.sig");
  add_common(exp);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    io.Out(app.help());  // CLI11 gives the help of the command that asked for it
    return 0;
  } catch (const CLI::CallForAllHelp& e) {
    io.Out(app.help("", CLI::AppFormatMode::All));
    return 0;
  } catch (const CLI::ParseError& e) {
    // Help on a sub-command arrives as CallForHelp from that sub-command.
    if (e.get_exit_code() == 0) {
      io.Out(app.help());
      return 0;
    }
    // "reckon bogus" arrives as "A subcommand is required" with the word left
    // over; name it instead.
    std::string what = e.what();
    if (app.get_subcommands().empty() && !app.remaining().empty()) {
      std::vector<std::string> names;
      for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) names.push_back(sub->get_name());
      what = fmt::format("unknown command '{}'; the commands are {}", app.remaining().front(), fmt::join(names, ", "));
    }
    io.Err(fmt::format("reckon: {}\nRun 'reckon --help' or 'reckon COMMAND --help'.\n", what));
    return 2;
  }
  if (!vendor.empty()) ingest_opt.vendor = vendor;
  if (!timezone.empty()) ingest_opt.timezone = timezone;
  if (!contract_path.empty()) ingest_opt.contract_path = contract_path;
  if (!map_path.empty()) ingest_opt.map_path = map_path;

  if (const char* env = std::getenv("RECKON_BUSY_TIMEOUT_MS"); env && *env) {
    int ms = 0;
    auto [end, ec] = std::from_chars(env, env + std::strlen(env), ms);
    if (ec != std::errc() || *end != '\0' || !SetBusyTimeoutMs(ms)) {
      io.Err(fmt::format("reckon: RECKON_BUSY_TIMEOUT_MS='{}' is not a whole number of milliseconds from 1 to {}\n", env, kMaxBusyTimeoutMs));
      return 2;
    }
  }
  if (check->parsed()) return CmdCheck(io, common, check_files);
  if (ingest->parsed()) return CmdIngest(io, common, ingest_opt, format);
  if (settle->parsed()) return CmdSettle(io, common, settle_opt);
  if (show->parsed()) return CmdShow(io, common, show_contract, show_period);
  if (status->parsed()) return CmdStatus(io, common, status_contract);
  if (verify->parsed()) return CmdVerify(io, common, expect_head);
  if (exp->parsed()) return CmdExport(io, common, export_opt);
  return 2;
}

}  // namespace reckon
