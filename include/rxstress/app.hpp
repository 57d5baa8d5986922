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
  bool strict = false;             // plausibility warnings are errors
  std::string max_output = "50G";  // refuse runs whose results file would be larger (500M, 20G)
  // Seconds between progress lines when the error stream is not a terminal (a batch log); unset:
  // env RXSTRESS_PROGRESS_EVERY, else 30. 0 prints a line after every block of paths.
  std::optional<double> progress_every;
  // --checkpoint: write OUT.checkpoint, keeping its completed blocks valid (recorded at most every
  // checkpoint_every seconds, 0: after every block) and left behind when the run is stopped or
  // killed; --resume continues such a file (and checkpoints too). See sim/io/checkpoint.hpp.
  bool checkpoint = false, resume = false;
  double checkpoint_every = 60.0;
  std::string command_line;
};
int run_command(const RunRequest& request, std::ostream& out, std::ostream& err);

struct ValidateRequest {
  std::vector<std::string> files;
  bool explain = false;         // list every resolved value
  std::string format = "text";  // text | json
  bool strict = false;          // plausibility warnings are errors
};
int validate_command(const ValidateRequest& request, std::ostream& out, std::ostream& err);

// `rxstress schema`: the JSON Schema of scenario files.
int schema_command(std::ostream& out, std::ostream& err);

struct SummaryRequest {
  std::string results;
  std::string model;             // empty: all
  std::string holder;            // empty: the headline
  std::string format = "table";  // table | csv | json
};
int summary_command(const SummaryRequest& request, std::ostream& out, std::ostream& err);

// `rxstress compare A B`: per model, year and holder (and what the ICB carries), B - A of the
// mean, 1-in-20, ES95 and exceedance probabilities with Monte Carlo standard errors, paired when
// the files share seed, paths, practices and drivers (flagged unpaired otherwise).
struct CompareRequest {
  std::string a, b;
  std::string model;             // empty: every model in both files
  std::string holder;            // empty: every holder; "ICB": what the ICB carries only
  std::string format = "table";  // table | csv | json
  // Holders' outcomes are read this many bytes at a time (a strip of holders by every path).
  std::size_t strip_bytes = std::size_t{64} << 20;
};
int compare_command(const CompareRequest& request, std::ostream& out, std::ostream& err);

// `rxstress review results.h5 actuals.csv`: actual monthly spend per practice against the
// forecast, for every holder of every model: year-to-date variance, its percentile in the forecast
// and the year-end outturn conditional on the year to date (sim/app/review.cpp).
struct ReviewRequest {
  std::string results, actuals;
  std::string model;             // empty: every model
  std::string format = "table";  // table | csv | json
};
int review_command(const ReviewRequest& request, std::ostream& out, std::ostream& err);

// `rxstress sweep`: every combination of the --vary values, run on the same paths (the spend
// simulated once when only delegation terms or capacities vary), into one file (run.output)
// with each point's statistics and headline.
struct SweepRequest {
  RunRequest run;                 // scenario, output, paths, seed, threads, --set, force, quiet
  std::vector<std::string> vary;  // key.path=v1,v2,...
  std::string keep_points;        // directory for each point's results file (empty: not kept)
  std::string format = "table";   // table | csv | json
};
int sweep_command(const SweepRequest& request, std::ostream& out, std::ostream& err);

// `rxstress tornado`: each numeric driver parameter (or `params`) at low and high, each a run on
// the same paths, ranked by its effect on `metric` of `model`, with paired standard errors.
struct TornadoRequest {
  RunRequest run;                    // scenario, output, paths, seed, threads, --set, force, quiet
  std::vector<std::string> params;   // key paths (drivers.0.growth.sd); empty: every numeric one
  double swing = 0.1;                // low / high = value x (1 -/+ swing)
  std::string ranges;                // a CSV file of key.path,low,high (instead of the swing)
  std::string metric = "icb_var95";  // icb_var95 | icb_mean | median_p_over_5pct
  std::string model;                 // empty: the scenario's first model
  std::string keep_points;
  std::string format = "table";
};
int tornado_command(const TornadoRequest& request, std::ostream& out, std::ostream& err);

// `rxstress export` and `rxstress report` run the Python package (python/rxstress: export.py,
// report.py) with /usr/bin/python3 (env RXSTRESS_PYTHON) and return its exit status; it prints
// directly to the standard output and error.
struct ExportRequest {
  std::string results, output;  // output empty: the results file's stem + .csv or .xlsx
  std::string format = "csv";   // csv | xlsx
  bool outcomes = false;        // also every path's outcome
  bool force = false;
};
int export_command(const ExportRequest& request, std::ostream& err);

struct ReportRequest {
  std::string results, output = "report.html";
  std::string compare;  // B.h5: include `compare results B` (what the ICB carries)
  std::string tornado;  // a file written by rxstress tornado
  std::string review;   // actuals.csv: include `review results actuals` (rxstress review)
  std::string pdf;      // also print to this PDF (headless Chromium)
  bool force = false;
  std::string command_line;
};
int report_command(const ReportRequest& request, std::ostream& err);

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
