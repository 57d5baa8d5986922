// The commands of the rxstress program, as library functions returning the exit status
// (0 success, 1 failure, 2 invalid input -- a damaged results file included --, 130/143
// interrupted). The CLI only parses arguments.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace rxstress {

struct RunRequest {
  std::string scenario;
  std::string output = "results.h5";
  std::optional<std::int64_t> paths;
  std::optional<std::uint64_t> seed;
  int threads = 0;
  std::vector<std::string> overrides;  // --set key=value
  bool force = false;                  // replace an existing results file (a regular file only)
  bool no_output = false;       // keep no file: the results are held in memory for the headline
  bool no_space_check = false;  // run even if the estimate exceeds the free space (or memory)
  bool quiet = false;
  bool timings = false;            // print `timing: <phase> <seconds>` lines to the error stream
  std::string max_output = "50G";  // refuse runs whose results file would be larger (500M, 20G)
  std::string command_line;
};
int run_command(const RunRequest& request, std::ostream& out, std::ostream& err);

int validate_command(const std::vector<std::string>& files, bool explain, std::ostream& out,
                     std::ostream& err);

struct SummaryRequest {
  std::string results;
  std::string model;             // empty: all
  std::string holder;            // empty: the headline
  std::string format = "table";  // table | csv | json
};
int summary_command(const SummaryRequest& request, std::ostream& out, std::ostream& err);

// `rxstress replay`: recomputes one path from the file's own scenario and seed, checks it equals
// what is stored (exit 1 if not) and breaks the holder's spend on that path down by driver.
struct ReplayRequest {
  std::string results;
  std::int64_t path = 0;
  std::string model;             // empty: check every model
  std::string holder;            // empty: the ICB, else the first holder of the first model
  std::string format = "table";  // table | csv | json
};
int replay_command(const ReplayRequest& request, std::ostream& out, std::ostream& err);

// `rxstress verify`: reads every dataset (so every checksum is checked), checks the layout against
// sim/io/FORMAT.md and /scenario against its digest, and recomputes a sample of paths bit for bit.
// Exit 0 only when all hold; 2 when the file is damaged or not laid out as documented; 1 when a
// recomputed path differs or a check could not be made.
struct VerifyRequest {
  std::string results;
  int paths = 8;  // paths recomputed, spread evenly from the first to the last (0: none)
};
int verify_command(const VerifyRequest& request, std::ostream& out, std::ostream& err);

}  // namespace rxstress
