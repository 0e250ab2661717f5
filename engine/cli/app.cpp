// Argument parsing and dispatch (see app.h).
#include "engine/cli/app.h"

#include "dsl/suggest.h"
#include "engine/cli/commands.h"
#include "ledger/ledger.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#ifndef RECKON_VERSION
#error "RECKON_VERSION must be defined by the build"
#endif

namespace reckon::cli {

namespace {

// "--perod" → " (did you mean --period?)" among the options of `cmd`.
std::string OptionHint(CLI::App* cmd, const std::string& word) {
  if (word.size() < 3 || word[0] != '-') return "";
  std::vector<std::string> names;
  for (auto* opt : cmd->get_options()) {
    for (auto& n : opt->get_lnames()) names.push_back("--" + n);
  }
  std::string name = word.substr(0, word.find('='));
  std::string best = Suggest(name, names);
  return best.empty() ? "" : fmt::format(" (did you mean {}?)", best);
}

// The usage error of a parse failure, with a "did you mean" where it helps.
std::string UsageMessage(CLI::App& app, const CLI::ParseError& e) {
  std::vector<std::string> commands;
  for (auto* sub : app.get_subcommands([](CLI::App*) { return true; })) commands.push_back(sub->get_name());
  CLI::App* active = &app;
  for (auto* sub : app.get_subcommands()) active = sub;
  std::vector<std::string> left = active->remaining();
  if (active == &app && !left.empty() && left.front()[0] != '-') {
    std::string best = Suggest(left.front(), commands);
    return fmt::format("unknown command '{}'{}; the commands are {}", left.front(), best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best),
                       fmt::join(commands, ", "));
  }
  std::string what = e.what();
  if (!left.empty()) {
    std::string hint = OptionHint(active, left.front());
    if (!hint.empty()) return fmt::format("unknown option '{}'{}", left.front(), hint);
  }
  return what;
}

bool WantsJson(int argc, char** argv) {
  for (int i = 1; i < argc; ++i)
    if (std::strcmp(argv[i], "--json") == 0) return true;
  return false;
}

}  // namespace

int RunCli(int argc, char** argv, std::FILE* out, std::FILE* err) {
  CLI::App app{"reckon: settles outcome-based contracts into a hash-chained ledger", "reckon"};
  app.require_subcommand(1);
  app.set_help_all_flag("--help-all", "Show help for every command");
  app.set_version_flag("--version", std::string("reckon ") + RECKON_VERSION, "Print the version and exit");
  Common common;
  auto add_common = [&](CLI::App* cmd) {
    cmd->add_option("--ledger", common.ledger, "Ledger file (default: $RECKON_LEDGER or reckon.db)")
        ->each([&](const std::string&) { common.ledger_given = true; });
    cmd->add_flag("--json", common.json, "Machine-readable output on stdout");
  };
  add_common(&app);

  std::vector<std::string> check_files;
  auto* check = app.add_subcommand("check", "Parse and type-check contracts; print every problem with file:line:col");
  check->add_option("CONTRACT", check_files, "Contract files")->required();
  add_common(check);

  std::vector<std::string> register_files;
  auto* reg = app.add_subcommand("register", "Check and register contracts and amendments ahead of time");
  reg->add_option("CONTRACT", register_files, "Contract files")->required();
  add_common(reg);

  IngestOptions ingest_opt;
  std::string format;
  std::optional<std::string> vendor, timezone, contract_path, map_path, max_rejects;
  auto* ingest = app.add_subcommand("ingest", "Append outcome records (CSV or JSONL) to the ledger, atomically");
  ingest->add_option("FILE", ingest_opt.files, "Record files (.csv, .jsonl; '-' = stdin with --format)")->required();
  ingest->add_option("--contract", contract_path, "Contract id or file: only its vendor's rows, typed fields checked (a file is registered)");
  ingest->add_option("--vendor", vendor, "Vendor of rows that have no vendor column");
  ingest->add_option("--map", map_path, "Column mapping (YAML)");
  ingest->add_option("--timezone", timezone, "IANA zone of timestamps written without one");
  ingest->add_flag("--skip-invalid", ingest_opt.skip_invalid, "Write valid rows; send invalid ones to a rejects file");
  ingest->add_option("--max-rejects", max_rejects, "With --skip-invalid: refuse the run when more than N rows are rejected");
  ingest->add_option("--format", format, "csv or jsonl (default: by extension)")->check(CLI::IsMember({"csv", "jsonl"}));
  add_common(ingest);

  SettleOptions settle_opt;
  auto* settle = app.add_subcommand("settle", "Settle one billing period: compute, record and print the statement");
  std::optional<std::string> settle_period, settle_start;
  settle->add_option("--contract", settle_opt.contract, "Registered contract id or contract file")->required();
  settle->add_option("--period", settle_period, "Period: 2026-10, 2026-Q4 or 2026");
  settle->add_option("--start", settle_start, "First settlement only: billing in this ledger starts at this period");
  settle->add_flag("--dry-run", settle_opt.dry_run, "Compute and print without writing (a preview before the period is due)");
  add_common(settle);

  std::string close_period;
  std::vector<std::string> close_contracts;
  auto* close = app.add_subcommand("close", "Month-end for the portfolio: settle the period for every contract that is due");
  close->add_option("--period", close_period, "Period: 2026-10, 2026-Q4 or 2026")->required();
  close->add_option("--contract", close_contracts, "Only these contracts (ids or files; repeatable)");
  add_common(close);

  std::string show_contract, show_period;
  auto* show = app.add_subcommand("show", "Print a recorded statement");
  show->add_option("--contract", show_contract, "Registered contract id or contract file")->required();
  show->add_option("--period", show_period, "Period")->required();
  bool show_restated = false;
  show->add_flag("--restated", show_restated, "The period as it stands now: re-evaluated on the current records, with its adjustments");
  add_common(show);

  std::string status_contract;
  auto* status = app.add_subcommand("status", "Contracts, settled periods, record count and ledger head");
  status->add_option("--contract", status_contract, "Only this contract (id or file)");
  add_common(status);

  std::string expect_head;
  auto* verify = app.add_subcommand("verify", "Recompute the hash chain and every derived table");
  verify->add_option("--expect-head", expect_head, "Anchor SEQ:HASH kept from a statement or export");
  std::string verify_since;
  verify->add_option("--since", verify_since, "Check only the entries after this trusted SEQ:HASH (the head the last verify printed)");
  add_common(verify);

  ExportOptions export_opt;
  auto* exp = app.add_subcommand("export", "Write the audit bundle of a settled period (verifies the chain first)");
  exp->add_option("--contract", export_opt.contract, "Registered contract id or contract file")->required();
  exp->add_option("--period", export_opt.period, "Period")->required();
  exp->add_option("--out", export_opt.out_dir, "New (or empty) directory for the bundle")->required();
  exp->add_option("--sign", export_opt.sign_key, "PEM Ed25519 private key: also write MANIFEST.sha256.sig");
  exp->add_flag("--excel", export_opt.excel, "statement.csv starts with a UTF-8 byte order mark (for spreadsheets)");
  add_common(exp);

  ReconcileCliOptions reconcile_opt;
  auto* reconcile = app.add_subcommand("reconcile", "Compare the vendor's claimed outcomes with a settled period (exit 5 on differences)");
  reconcile->add_option("--contract", reconcile_opt.contract, "Registered contract id or contract file")->required();
  reconcile->add_option("--period", reconcile_opt.period, "Period")->required();
  reconcile->add_option("CLAIMS", reconcile_opt.claims, "Claims (.csv or .jsonl): id, revision, line, units")->required();
  reconcile->add_option("--map", reconcile_opt.map, "Column mapping (YAML) of a vendor export");
  reconcile->add_option("--out", reconcile_opt.out, "New (or empty) directory for reconciliation.csv, .json and .html");
  add_common(reconcile);

  std::string report_out, report_from, report_to;
  std::vector<std::string> report_contracts;
  auto* report = app.add_subcommand("report", "Write the portfolio dashboard (report.html, .json, .csv) over settled periods");
  report->add_option("--out", report_out, "New (or empty) directory for report.html, report.json and report.csv")->required();
  report->add_option("--from", report_from, "First period (a month, quarter or year); default: the first settled");
  report->add_option("--to", report_to, "Last period (a month, quarter or year); default: the last settled");
  report->add_option("--contract", report_contracts, "Registered contract id or contract file (repeatable); default: every contract");
  add_common(report);

  std::string copy_src, copy_dst;
  auto* ledger_cmd = app.add_subcommand("ledger", "Maintain the ledger itself (upgrade a file, copy between SQLite and PostgreSQL)");
  ledger_cmd->require_subcommand(1);
  auto* upgrade = ledger_cmd->add_subcommand("upgrade", "Rebuild the derived records tables of a ledger of an earlier format (1 or 2) as format 3, then verify it");
  add_common(upgrade);
  auto* ledger_copy = ledger_cmd->add_subcommand("copy", "Copy a ledger entry by entry, checking each (a file or a postgresql:// address)");
  ledger_copy->add_option("SRC", copy_src, "The ledger to copy")->required();
  ledger_copy->add_option("DST", copy_dst, "A file that does not exist, or an empty database")->required();
  ledger_copy->add_flag("--json", common.json, "Machine-readable output on stdout");

  Io io(out, err, WantsJson(argc, argv));
  auto usage = [&](const std::string& what) {
    return io.Usage(fmt::format("reckon: {}", what), "Run 'reckon --help' or 'reckon COMMAND --help'.");
  };
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp&) {
    io.Out(app.help());  // CLI11 gives the help of the command that asked for it
    return 0;
  } catch (const CLI::CallForAllHelp&) {
    io.Out(app.help("", CLI::AppFormatMode::All));
    return 0;
  } catch (const CLI::CallForVersion&) {
    io.Out(std::string("reckon ") + RECKON_VERSION + "\n");
    return 0;
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) {
      io.Out(app.help());
      return 0;
    }
    return usage(UsageMessage(app, e));
  }
  // Options that were given must say something: an empty value is a mistake
  // (a shell variable that was not set), never "use the default".
  if (common.ledger_given && common.ledger.empty()) return usage("--ledger '' names no file; give a ledger path or leave the option out");
  for (auto [name, value] : {std::pair{"--vendor", &vendor}, {"--timezone", &timezone}, {"--contract", &contract_path}, {"--map", &map_path}}) {
    if (*value && (*value)->empty()) return usage(fmt::format("{} '' is empty; give a value or leave the option out", name));
  }
  for (auto [name, value] : {std::pair{"--period", &settle_period}, {"--start", &settle_start}}) {
    if (*value && (*value)->empty()) return usage(fmt::format("{} '' is empty; give a value or leave the option out", name));
  }
  if (settle->parsed()) {
    if (!settle_period && !settle_start) return usage("settle needs --period P (or --start P for a first settlement that starts mid-term)");
    settle_opt.period = settle_period ? *settle_period : *settle_start;
    settle_opt.start = settle_start;
  }
  for (auto* list : {&close_contracts, &register_files, &check_files, &report_contracts})
    for (auto& v : *list)
      if (v.empty()) return usage("an empty contract argument ('') names nothing; give an id or a file");
  if (vendor) ingest_opt.vendor = *vendor;
  if (timezone) ingest_opt.timezone = *timezone;
  if (contract_path) ingest_opt.contract_path = *contract_path;
  if (map_path) ingest_opt.map_path = *map_path;
  if (max_rejects) {
    int64_t n = -1;
    const std::string& t = *max_rejects;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), n);
    if (t.empty() || t[0] < '0' || t[0] > '9' || ec != std::errc() || end != t.data() + t.size())
      return usage(fmt::format("--max-rejects '{}' is not a whole number of rows (0 or more)", t));
    if (!ingest_opt.skip_invalid) return usage("--max-rejects applies only with --skip-invalid (without it, one invalid row refuses the run)");
    ingest_opt.max_rejects = n;
  }
  if (!format.empty()) ingest_opt.format = format == "csv" ? RowFormat::kCsv : RowFormat::kJsonl;
  for (auto& f : ingest_opt.files) {
    if (f == "-" && !ingest_opt.format) return usage("reading stdin ('-') needs --format csv or --format jsonl");
  }

  if (const char* env = std::getenv("RECKON_BUSY_TIMEOUT_MS"); env && *env) {
    int ms = 0;
    auto [end, ec] = std::from_chars(env, env + std::strlen(env), ms);
    if (ec != std::errc() || *end != '\0' || !SetBusyTimeoutMs(ms))
      return usage(fmt::format("RECKON_BUSY_TIMEOUT_MS='{}' is not a whole number of milliseconds from 1 to {}", env, kMaxBusyTimeoutMs));
  }
  if (check->parsed()) return CmdCheck(io, common, check_files);
  if (reg->parsed()) return CmdRegister(io, common, register_files);
  if (close->parsed()) return CmdClose(io, common, close_period, close_contracts);
  if (ingest->parsed()) return CmdIngest(io, common, ingest_opt);
  if (settle->parsed()) return CmdSettle(io, common, settle_opt);
  if (show->parsed()) return CmdShow(io, common, show_contract, show_period, show_restated);
  if (status->parsed()) return CmdStatus(io, common, status_contract);
  if (verify->parsed()) return CmdVerify(io, common, expect_head, verify_since);
  if (upgrade->parsed()) return CmdLedgerUpgrade(io, common);
  if (exp->parsed()) return CmdExport(io, common, export_opt);
  if (reconcile->parsed()) {
    for (auto [name, value] : {std::pair{"--map", &reconcile_opt.map}, {"--out", &reconcile_opt.out}})
      if (reconcile->count(name) && value->empty()) return usage(fmt::format("{} '' is empty; give a value or leave the option out", name));
    return CmdReconcile(io, common, reconcile_opt);
  }
  if (ledger_copy->parsed()) return CmdLedgerCopy(io, copy_src, copy_dst);
  if (report->parsed()) {
    for (auto [name, value] : {std::pair{"--from", &report_from}, {"--to", &report_to}})
      if (report->count(name) && value->empty()) return usage(fmt::format("{} '' is empty; give a value or leave the option out", name));
    return CmdReport(io, common, report_out, report_from, report_to, report_contracts);
  }
  return 2;
}

}  // namespace reckon::cli
