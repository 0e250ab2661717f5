// The `reckon` command line (docs/cli.md): parses the arguments with CLI11,
// runs one sub-command (commands.h) and returns the process exit code:
// 0 ok, 1 invalid input (nothing written), 2 usage, 3 ledger integrity,
// 4 refused by ledger state.
#pragma once

#include <cstdio>

namespace reckon::cli {

int RunCli(int argc, char** argv, std::FILE* out = stdout, std::FILE* err = stderr);

}  // namespace reckon::cli
