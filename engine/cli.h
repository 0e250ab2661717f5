// Cli: the `reckon` command line (SPEC §1), a thin layer over the library.
//
// RunCli parses arguments with CLI11, runs one sub-command and returns the
// process exit code: 0 ok, 1 invalid input (nothing written), 2 usage, 3
// ledger integrity, 4 refused by ledger state. Output goes to the given
// streams so tests can call it in-process.
#pragma once

#include <cstdio>

namespace reckon {

int RunCli(int argc, char** argv, std::FILE* out = stdout, std::FILE* err = stderr);

}  // namespace reckon
