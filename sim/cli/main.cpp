// The rxstress program: argument parsing only; the commands live in the library (rxstress/app.hpp).
#include <CLI/CLI.hpp>

#include <iostream>
#include <sstream>
#include <string_view>

#include "hpc/ranks.hpp"
#include "rxstress/app.hpp"

namespace {

// --format of the commands that print a table: text, CSV or JSON.
void add_format(CLI::App* cmd, std::string& format) {
  cmd->add_option("--format", format, "table, csv or json")
      ->check(CLI::IsMember({"table", "csv", "json"}));
}

std::string joined_arguments(int argc, char** argv) {
  std::string s;
  for (int i = 0; i < argc; ++i) s += (i ? " " : "") + std::string(argv[i]);
  return s;
}

// The options of the commands that run a grid of points (sweep, tornado).
void add_grid_options(CLI::App* cmd, rxstress::RunRequest& run, std::string& keep_points,
                      std::string& format) {
  cmd->add_option("scenario", run.scenario, "scenario YAML file")->required();
  cmd->add_option("-o,--output", run.output, "the grid's file (HDF5)")->capture_default_str();
  cmd->add_option_function<std::int64_t>(
         "--paths", [&run](const std::int64_t& n) { run.paths = n; },
         "number of paths (overrides the file)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  cmd->add_option_function<std::uint64_t>(
      "--seed", [&run](const std::uint64_t& s) { run.seed = s; },
      "master seed (overrides the file)");
  cmd->add_option("--threads", run.threads, "worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  cmd->add_option("--set", run.overrides, "override a scenario value for every point");
  cmd->add_flag("--force", run.force, "overwrite an existing file");
  cmd->add_flag("--quiet", run.quiet, "print nothing but errors and the table");
  cmd->add_option("--keep-points", keep_points,
                  "keep each point's results file in this directory (point-<i>.h5)");
  add_format(cmd, format);
}

}  // namespace

// Parses the command line and runs the command.
int commands(int argc, char** argv) {
  CLI::App app{"rxstress: Monte Carlo stress tests of NHS medicines budgets under delegation"};
  app.set_version_flag("--version", std::string("rxstress ") + RXSTRESS_VERSION);
  app.require_subcommand(1);

  rxstress::RunRequest run;
  run.command_line = joined_arguments(argc, argv);
  std::int64_t paths = 0;
  std::uint64_t seed = 0;
  auto* run_cmd = app.add_subcommand("run", "simulate a scenario and write a results file");
  run_cmd->add_option("scenario", run.scenario, "scenario YAML file")->required();
  auto* output_opt =
      run_cmd->add_option("-o,--output", run.output, "results file (HDF5)")->capture_default_str();
  auto* paths_opt = run_cmd->add_option("--paths", paths, "number of paths (overrides the file)")
                        ->check(CLI::Range(std::int64_t{1}, std::int64_t{100'000'000}));
  auto* seed_opt = run_cmd->add_option("--seed", seed, "master seed (overrides the file)");
  run_cmd->add_option("--threads", run.threads, "worker threads (0: all cores)")
      ->check(CLI::Range(0, 1024));
  run_cmd->add_option("--set", run.overrides,
                      "override a scenario value: key.path=value; a list item by name or index, "
                      "e.g. drivers[concessions].dispersion=3");
  run_cmd->add_flag("--force", run.force,
                    "replace an existing results file (a regular file only: never a device, "
                    "directory, FIFO or socket)");
  auto* no_output_opt =
      run_cmd
          ->add_flag("--no-output", run.no_output,
                     "keep no results file: hold the results in memory and print the headline")
          ->excludes(output_opt);
  run_cmd->add_flag("--no-space-check", run.no_space_check,
                    "run even when the estimated output exceeds the free disk space (or, with "
                    "--no-output, the available memory)");
  run_cmd->add_flag("--quiet", run.quiet, "print nothing but errors");
  run_cmd->add_flag("--strict", run.strict,
                    "treat plausibility warnings (likely unit slips) as errors");
  run_cmd->add_flag("--timings", run.timings,
                    "print the wall seconds of each phase (load, simulate, write, statistics)");
  auto* checkpoint_opt = run_cmd->add_flag(
      "--checkpoint", run.checkpoint,
      "write OUT.checkpoint, whose completed blocks stay valid if the run is stopped or killed");
  auto* resume_opt = run_cmd->add_flag(
      "--resume", run.resume,
      "continue OUT.checkpoint from its first incomplete block (same scenario, seed and paths)");
  run_cmd
      ->add_option("--checkpoint-every", run.checkpoint_every,
                   "seconds between checkpoints (0: after every block of paths)")
      ->check(CLI::Range(0.0, 1e9))
      ->capture_default_str();
  no_output_opt->excludes(checkpoint_opt)->excludes(resume_opt);
  run_cmd
      ->add_option_function<double>(
          "--progress-every", [&run](const double& s) { run.progress_every = s; },
          "seconds between progress lines when standard error is not a terminal (default 30, "
          "env RXSTRESS_PROGRESS_EVERY; 0: after every block)")
      ->check(CLI::Range(0.0, 1e9));
  run_cmd
      ->add_option("--max-output", run.max_output,
                   "refuse runs whose results file would exceed this (500M, 20G, bytes)")
      ->capture_default_str();

  rxstress::ValidateRequest validate;
  auto* validate_cmd = app.add_subcommand("validate", "check scenario files without running");
  validate_cmd->add_option("scenarios", validate.files, "scenario YAML files")->required();
  validate_cmd->add_flag("--explain", validate.explain,
                         "list every resolved value (all sections, defaults marked) with unit, "
                         "meaning and the file:line:column that set it");
  validate_cmd->add_option("--format", validate.format, "text or json")
      ->check(CLI::IsMember({"text", "json"}));
  validate_cmd->add_flag("--strict", validate.strict,
                         "treat plausibility warnings (likely unit slips) as errors");

  auto* schema_cmd = app.add_subcommand(
      "schema", "print the JSON Schema of scenario files (scenarios/rxstress.schema.json)");

  rxstress::SummaryRequest summary;
  auto* summary_cmd = app.add_subcommand("summary", "print the statistics of a results file");
  summary_cmd->add_option("results", summary.results, "results file (HDF5)")->required();
  summary_cmd->add_option("--model", summary.model, "one delegation model");
  summary_cmd->add_option("--holder", summary.holder, "one holder id");
  add_format(summary_cmd, summary.format);

  rxstress::CompareRequest compare;
  auto* compare_cmd = app.add_subcommand(
      "compare",
      "differences B - A per model and holder (mean, 1-in-20, ES95, P(>x%)) with Monte Carlo "
      "standard errors, paired when A and B share seed, paths, practices and drivers");
  compare_cmd->add_option("a", compare.a, "results file A (HDF5)")->required();
  compare_cmd->add_option("b", compare.b, "results file B (HDF5)")->required();
  compare_cmd->add_option("--model", compare.model, "one delegation model");
  compare_cmd->add_option("--holder", compare.holder, "one holder id (ICB: what the ICB carries)");
  add_format(compare_cmd, compare.format);

  rxstress::SweepRequest sweep;
  sweep.run.output = "sweep.h5";
  sweep.run.command_line = run.command_line;
  auto* sweep_cmd = app.add_subcommand(
      "sweep",
      "run a grid of values on the same paths (spend simulated once when only terms vary)");
  add_grid_options(sweep_cmd, sweep.run, sweep.keep_points, sweep.format);
  sweep_cmd->add_option("--vary", sweep.vary, "key.path=v1,v2,... (repeat for a grid)")->required();

  rxstress::TornadoRequest tornado;
  tornado.run.output = "tornado.h5";
  tornado.run.command_line = run.command_line;
  auto* tornado_cmd = app.add_subcommand(
      "tornado",
      "rank driver parameters by their effect (low -> high) on a metric, with standard errors");
  add_grid_options(tornado_cmd, tornado.run, tornado.keep_points, tornado.format);
  tornado_cmd
      ->add_option("--params", tornado.params,
                   "parameters to vary, comma-separated (default: every numeric one)")
      ->delimiter(',');
  tornado_cmd->add_option("--swing", tornado.swing, "low/high = value x (1 -/+ swing)")
      ->check(CLI::Range(0.0, 1.0))
      ->capture_default_str();
  tornado_cmd->add_option("--ranges", tornado.ranges, "CSV file of key.path,low,high");
  tornado_cmd->add_option("--metric", tornado.metric, "icb_var95, icb_mean or median_p_over_5pct")
      ->check(CLI::IsMember({"icb_var95", "icb_mean", "median_p_over_5pct"}))
      ->capture_default_str();
  tornado_cmd->add_option("--model", tornado.model, "delegation model (default: the first)");

  rxstress::ExportRequest exporting;
  auto* export_cmd = app.add_subcommand(
      "export", "the statistics as one tidy table (CSV or Excel), optionally every path's outcome");
  export_cmd->add_option("results", exporting.results, "results file (HDF5)")->required();
  export_cmd->add_option("--format", exporting.format, "csv or xlsx")
      ->check(CLI::IsMember({"csv", "xlsx"}))
      ->capture_default_str();
  export_cmd->add_option("-o,--output", exporting.output,
                         "output file (default: the results file's name, .csv or .xlsx)");
  export_cmd->add_flag("--outcomes", exporting.outcomes, "also every path's outcome");
  export_cmd->add_flag("--force", exporting.force, "overwrite existing files");

  rxstress::ReportRequest report;
  report.command_line = run.command_line;
  auto* report_cmd =
      app.add_subcommand("report", "one self-contained HTML report a board can read (and PDF)");
  report_cmd->add_option("results", report.results, "results file (HDF5)")->required();
  report_cmd->add_option("-o,--output", report.output, "HTML file")->capture_default_str();
  report_cmd->add_option("--compare", report.compare, "results file B: what changes from A to B");
  report_cmd->add_option("--tornado", report.tornado, "a file written by rxstress tornado");
  report_cmd->add_option("--review", report.review,
                         "actual spend (CSV): the review of the year to date against the forecast");
  report_cmd->add_option("--pdf", report.pdf, "also print the report to this PDF (chromium)");
  report_cmd->add_flag("--force", report.force, "overwrite existing files");

  rxstress::ReplayRequest replay;
  auto* replay_cmd =
      app.add_subcommand("replay", "recompute one path and check it equals the results file");
  replay_cmd->add_option("results", replay.results, "results file (HDF5)")->required();
  replay_cmd->add_option("--path", replay.path, "path index K (0-based)")->required();
  replay_cmd->add_option("--model", replay.model, "check one delegation model only");
  replay_cmd->add_option("--holder", replay.holder, "holder whose spend is broken down");
  add_format(replay_cmd, replay.format);

  rxstress::ReviewRequest review;
  auto* review_cmd = app.add_subcommand(
      "review",
      "actual monthly spend per practice (CSV: practice code, month, actual cost) against the "
      "forecast: year-to-date variance, its percentile, the year-end conditional on it");
  review_cmd->add_option("results", review.results, "results file (HDF5)")->required();
  review_cmd->add_option("actuals", review.actuals, "actual spend (CSV)")->required();
  review_cmd->add_option("--model", review.model, "one delegation model");
  add_format(review_cmd, review.format);

  rxstress::VerifyRequest verify;
  auto* verify_cmd = app.add_subcommand(
      "verify",
      "check a results file: every checksum, the layout (sim/io/FORMAT.md), a sample of paths "
      "recomputed bit for bit; exit 0 only when all hold, 2 when damaged");
  verify_cmd->add_option("results", verify.results, "results file (HDF5)")->required();
  verify_cmd->add_option("--paths", verify.paths, "paths to recompute, spread evenly (0: none)")
      ->capture_default_str()
      ->check(CLI::Range(0, 1'000'000));

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    std::ostringstream silenced;  // under mpirun, rank 0 alone says what was wrong
    const int status = rxstress::ranks::root() ? app.exit(e) : app.exit(e, silenced, silenced);
    return status == 0 ? 0 : 2;
  }
  if (*paths_opt) run.paths = paths;
  if (*seed_opt) run.seed = seed;
  if (*run_cmd) return rxstress::run_command(run, std::cout, std::cerr);
  if (*validate_cmd) return rxstress::validate_command(validate, std::cout, std::cerr);
  if (*schema_cmd) return rxstress::schema_command(std::cout, std::cerr);
  if (*summary_cmd) return rxstress::summary_command(summary, std::cout, std::cerr);
  if (*sweep_cmd) return rxstress::sweep_command(sweep, std::cout, std::cerr);
  if (*tornado_cmd) return rxstress::tornado_command(tornado, std::cout, std::cerr);
  if (*export_cmd) return rxstress::export_command(exporting, std::cerr);
  if (*report_cmd) return rxstress::report_command(report, std::cerr);
  if (*compare_cmd) return rxstress::compare_command(compare, std::cout, std::cerr);
  if (*replay_cmd) return rxstress::replay_command(replay, std::cout, std::cerr);
  if (*review_cmd) return rxstress::review_command(review, std::cout, std::cerr);
  if (*verify_cmd) return rxstress::verify_command(verify, std::cout, std::cerr);
  return 2;
}
namespace {

// Under mpirun, `run` is the command that uses the ranks (sim/app/run.cpp); any other runs on
// rank 0 alone (so that it prints and writes once), and every rank exits with its status.
int on_root_only(int argc, char** argv) {
  int status = 0;
  if (rxstress::ranks::root()) status = commands(argc, argv);
  return rxstress::ranks::broadcast(status);
}

}  // namespace

int main(int argc, char** argv) {
  rxstress::ranks::Session mpi(argc, argv);
  const bool run = argc > 1 && std::string_view(argv[1]) == "run";
  if (run || rxstress::ranks::size() == 1) return commands(argc, argv);
  return on_root_only(argc, argv);
}
