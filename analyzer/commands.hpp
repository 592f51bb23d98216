// One function per analyzer command; main.cpp parses options (CLI11) and calls these. Each
// returns an exit code and throws libsnap::LoadError or UsageError for bad input.
#pragma once

#include <string>

#include "cli_support.hpp"

namespace analyzer {

struct InfoOptions {
  CommonOptions common;
  std::string snapshot;
};
int run_info(const InfoOptions& options);

}  // namespace analyzer
