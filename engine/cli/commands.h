// The sub-commands of `reckon`, each a thin layer: one library call, then
// printing its result as text or JSON (docs/cli.md).
#pragma once

#include "engine/cli/io.h"
#include "engine/export.h"
#include "engine/ingest.h"
#include "engine/settle.h"

#include <string>
#include <vector>

namespace reckon::cli {

struct Common {
  std::string ledger;
  bool ledger_given = false;
  bool json = false;
};

std::string LedgerPath(const Common& c);

int CmdCheck(Io& io, const Common& c, const std::vector<std::string>& files);
int CmdRegister(Io& io, const Common& c, const std::vector<std::string>& files);
int CmdIngest(Io& io, const Common& c, IngestOptions& opt);
int CmdSettle(Io& io, const Common& c, SettleOptions opt);
int CmdClose(Io& io, const Common& c, const std::string& period, const std::vector<std::string>& contracts);
// restated: the period as it stands now (show --restated).
int CmdShow(Io& io, const Common& c, const std::string& contract, const std::string& period, bool restated = false);
int CmdStatus(Io& io, const Common& c, const std::string& only);
int CmdVerify(Io& io, const Common& c, const std::string& expect_head, const std::string& since_head);
int CmdLedgerUpgrade(Io& io, const Common& c);
int CmdExport(Io& io, const Common& c, ExportOptions opt);

struct ReconcileCliOptions {
  std::string contract;  // contract id
  std::string period;
  std::string claims;
  std::string map;       // "" = none
  std::string out;       // "" = no files
};
// Exit 0 when the claims agree, 5 when they differ.
int CmdReconcile(Io& io, const Common& c, const ReconcileCliOptions& opt);

// reckon report --out DIR [--from P] [--to P] [--contract ID...] (docs/reports.md).
int CmdReport(Io& io, const Common& c, const std::string& out, const std::string& from, const std::string& to,
              const std::vector<std::string>& contracts);

// reckon ledger copy SRC DST (docs/postgresql.md).
int CmdLedgerCopy(Io& io, const std::string& src, const std::string& dst);

}  // namespace reckon::cli
