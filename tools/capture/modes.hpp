// The two ways snapcapture drives a script: free `run` mode and the leak-hunting `scenario` mode.
#pragma once

#include <string>

namespace snapcapture {

class Runtime;

// Runs the script and its event loop; the script takes its own snapshots. Returns the exit code;
// throws CaptureError.
int run_mode(Runtime& runtime, const std::string& source);

// Runs the script, then setup / action / cleanup with a snapshot after each step as described in
// --help. Returns the exit code; throws CaptureError.
int scenario_mode(Runtime& runtime, const std::string& source);

}  // namespace snapcapture
