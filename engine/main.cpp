// The `reckon` binary: everything happens in RunCli (engine/cli.h).
#include "engine/cli.h"

int main(int argc, char** argv) { return reckon::RunCli(argc, argv); }
