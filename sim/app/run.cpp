// `rxstress run`: scenario -> model -> engine -> results file -> headline.
#include <fmt/format.h>
#include <oneapi/tbb/global_control.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <optional>

#include "app/headline.hpp"
#include "app/output_target.hpp"
#include "app/points.hpp"
#include "app/progress.hpp"
#include "app/rank_slots.hpp"
#include "app/resource_guard.hpp"
#include "app/stale_partials.hpp"
#include "app/warnings.hpp"
#include "hpc/ranks.hpp"
#include "io/checkpoint.hpp"
#include "io/rank_checkpoint.hpp"
#include "io/results_writer.hpp"
#include "rxstress/app.hpp"
#include "rxstress/engine.hpp"
#include "rxstress/simd.hpp"

namespace rxstress {
namespace {

std::atomic<bool> g_stop{false};
std::atomic<int> g_signal{0};

extern "C" void on_signal(int sig) {
  g_signal.store(sig);
  g_stop.store(true);
}

// Ctrl-C and SIGTERM stop the run between blocks. SIGXFSZ (a file-size limit, `ulimit -f`) is
// ignored so that the write past the limit fails with EFBIG and is reported like a full disk,
// instead of killing the process and leaving its partial file. The previous handlers come back
// afterwards.
class SignalGuard {
 public:
  SignalGuard() {
    g_stop = false;
    g_signal = 0;
    struct sigaction sa {};
    sa.sa_handler = on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    struct sigaction ignore {};
    ignore.sa_handler = SIG_IGN;
    sigemptyset(&ignore.sa_mask);
    sigaction(SIGXFSZ, &ignore, &old_xfsz_);
  }
  ~SignalGuard() {
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
    sigaction(SIGXFSZ, &old_xfsz_, nullptr);
  }

 private:
  struct sigaction old_int_ {};
  struct sigaction old_term_ {};
  struct sigaction old_xfsz_ {};
};

// Prints the size estimate and refuses (exit 2), before any file exists, a run whose results
// file would exceed --max-output or (unless --no-space-check) not fit where it goes: the output's
// file system, or memory with --no-output. Returns 0 when the run may go ahead.
int check_resources(const Model& model, const RunRequest& r, int threads, std::ostream& out,
                    std::ostream& err) {
  const std::uint64_t limit = parse_size(r.max_output, "--max-output");
  const ResourceEstimate e = estimate_resources(model, threads);
  if (!r.quiet)
    out << fmt::format("estimate: output ≈ {}{}, peak memory ≈ {} (output uncompressed)\n",
                       format_gb(e.output_bytes), r.no_output ? " held in memory" : "",
                       format_gb(e.memory_bytes + (r.no_output ? e.output_bytes : 0.0)));
  if (e.output_bytes > static_cast<double>(limit)) {
    err << fmt::format(
        "rxstress: the results file would be about {} (uncompressed), more than --max-output {}; "
        "reduce paths or outputs, or raise --max-output\n",
        format_gb(e.output_bytes), r.max_output);
    return 2;
  }
  const std::string lack =
      r.no_space_check ? "" : lack_of_room(e, r.no_output ? "" : output_directory(r.output));
  if (lack.empty()) return 0;
  err << "rxstress: " << lack
      << "; free some space, reduce paths or outputs, write elsewhere (-o), or use "
         "--no-space-check\n";
  return 2;
}

// Wall seconds of the phases of a run, printed with --timings as `timing: <phase> <seconds>`.
class PhaseClock {
 public:
  double lap() {
    const auto now = std::chrono::steady_clock::now();
    const double s = std::chrono::duration<double>(now - last_).count();
    last_ = now;
    return s;
  }
  double total() const {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - first_).count();
  }
  void record(std::string phase, double seconds) {
    phases_.emplace_back(std::move(phase), seconds);
  }
  void print(std::ostream& err) const {
    for (const auto& [phase, seconds] : phases_)
      err << fmt::format("timing: {} {:.3f} s\n", phase, seconds);
  }

 private:
  std::chrono::steady_clock::time_point first_ = std::chrono::steady_clock::now(), last_ = first_;
  std::vector<std::pair<std::string, double>> phases_;
};

bool checkpointing(const RunRequest& r) { return r.checkpoint || r.resume; }

// The name of the results file while it is written (HDF5 needs one for a file in memory too; it
// is never created on disk).
std::string temporary_name(const RunRequest& r) {
  if (r.no_output) return "(results in memory)";
  // Rank 0's process id names the one file all ranks write.
  return checkpointing(r) ? checkpoint_path(r.output)
                          : partial_path(r.output, ranks::broadcast(static_cast<int>(getpid())));
}

// --resume needs a checkpoint of this scenario, seed and paths; --checkpoint refuses to start over
// one, which would be lost. Both are bad input (exit 2), found before anything is simulated.
void check_checkpoint_target(const Model& model, const RunRequest& r) {
  const std::string path = checkpoint_path(r.output);
  std::error_code ec;
  const bool exists = std::filesystem::exists(path, ec);
  if (!r.resume) {
    if (exists)
      throw InputError({path, 0, 0}, "", "a checkpoint of an earlier run is there",
                       "--resume to continue it, or its removal to start again");
    return;
  }
  if (!exists)
    throw InputError({path, 0, 0}, "", "no checkpoint to resume",
                     "the file `rxstress run --checkpoint -o " + r.output + "` leaves");
  try {
    check_resumable(path, model, RunOptions{}.block_paths);
  } catch (const RunError& e) {
    throw InputError({path, 0, 0}, "", std::string("unreadable: ") + e.what(),
                     "a file left by `rxstress run --checkpoint`");
  }
}

// Test hook (tests/test_checkpoint.cpp): RXSTRESS_TEST_ABORT_AFTER_BLOCKS=N ends the process at
// once, as SIGKILL or a batch system's wall-time limit would, after N blocks written by it.
int abort_after_blocks() {
  const char* v = std::getenv("RXSTRESS_TEST_ABORT_AFTER_BLOCKS");
  return v != nullptr ? std::atoi(v) : 0;
}

// With --no-output, the headline is printed from the file before it is closed (and gone).
std::function<void(const h5::File&)> headline_before_close(const RunRequest& r, std::ostream& out) {
  if (!r.no_output || r.quiet) return {};
  return [&out](const h5::File& file) {
    out << "no results file kept (--no-output)\n\n";
    print_headline(file, out);
  };
}

// The end of a failed run's message: what became of the output.
std::string what_was_written(const RunRequest& r) {
  if (r.no_output) return "run abandoned";
  std::error_code ec;
  return std::filesystem::exists(r.output, ec)
             ? "no results written (" + r.output + " left as it was)"
             : "no results file written";
}

// Seconds between batch progress lines: --progress-every, else RXSTRESS_PROGRESS_EVERY, else 30.
// An unreadable or negative environment value is bad input (exit 2), like a bad option.
std::optional<double> progress_interval(const RunRequest& r, std::ostream& err) {
  if (r.progress_every) return *r.progress_every;
  const char* env = std::getenv("RXSTRESS_PROGRESS_EVERY");
  if (env == nullptr || *env == '\0') return 30.0;
  char* end = nullptr;
  const double seconds = std::strtod(env, &end);
  if (*end != '\0' || !(seconds >= 0.0) || !std::isfinite(seconds)) {
    err << fmt::format(
        "rxstress: RXSTRESS_PROGRESS_EVERY={}: not a number of seconds; expected a number >= 0\n",
        env);
    return std::nullopt;
  }
  return seconds;
}

// The pipeline's options of a run on `threads` threads, stopped by Ctrl-C and SIGTERM.
RunOptions run_options(int threads) {
  RunOptions options;
  options.threads = threads;
  options.stop = &g_stop;
  return options;
}

RunInfo run_info(const RunRequest& r, const RunOptions& options) {
  RunInfo info;
  info.command_line = r.command_line;
  info.created = utc_now();
  info.block_paths = options.block_paths;
  info.storage = r.no_output ? h5::Storage::memory : h5::Storage::disk;
  info.checkpoint = checkpointing(r);
  info.resume = r.resume;
  info.checkpoint_every = r.checkpoint_every;
  return info;
}

// Simulates and writes to `temporary`; returns false if interrupted.
bool simulate_to(const Model& model, const RunRequest& r, int threads, double progress_every,
                 const std::string& temporary, PhaseClock& clock, std::ostream& out) {
  const Scenario& sc = model.scenario();
  RunOptions options = run_options(threads);
  // The statistics pass after the pipeline runs in parallel too, on no more threads than asked.
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  ResultsWriter writer(model, temporary, run_info(r, options));
  options.first_path = writer.first_path();
  if (r.resume && !r.quiet)
    out << fmt::format("resuming {}: {} of {} paths done\n", temporary, options.first_path,
                       sc.paths);
  clock.record("open results file", clock.lap());
  ProgressBar bar(sc.paths, !r.quiet, progress_every, options.first_path);
  const int abort_after = abort_after_blocks();
  int blocks = 0;
  options.progress = [&](std::int64_t done) {
    bar.update(done);
    if (++blocks == abort_after) _exit(137);
  };
  const bool complete = run_paths(model, options, writer);
  bar.finish();
  if (!complete && checkpointing(r)) writer.save_checkpoint_now();
  clock.record("simulate paths (parallel pipeline, wall)", clock.lap());
  clock.record("write path blocks (serial stage, inside the pipeline)", options.consume_seconds);
  if (complete) writer.finish(headline_before_close(r, out));
  clock.record("statistics pass and file close", clock.lap());
  return complete;
}

// As simulate_to, on each of R > 1 MPI ranks: rank 0 lays the file out; each rank simulates its
// contiguous share of the path blocks and writes it into the one file with collective parallel
// HDF5 writes (RankSlots); the statistics pass is shared too (ResultsWriter::finish).
bool simulate_on_ranks(const Model& model, const RunRequest& r, int threads, double progress_every,
                       const std::string& temporary, PhaseClock& clock, std::ostream& out) {
  const Scenario& sc = model.scenario();
  RunOptions options = run_options(threads);
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, threads);
  RunInfo info = run_info(r, options);
  const std::int64_t B = options.block_paths;
  const std::int64_t blocks = block_count(sc.paths, options.block_paths);
  const ranks::Share share = ranks::share(blocks, ranks::rank(), ranks::size());
  const bool single_node = ranks::single_node();  // collective: every rank asks
  if (ranks::root() && !r.resume) {
    RunInfo layout = info;
    layout.checkpoint = false;  // an MPI run's checkpoint is the ranks' (io/rank_checkpoint.hpp)
    {
      h5::NoFillValues no_fill(single_node);
      ResultsWriter(model, temporary, layout).close_layout();
    }
    if (checkpointing(r)) {
      remove_rank_checkpoints(temporary, ranks::size());  // an earlier run's, if any
      mark_mpi_checkpoint(temporary, ranks::size(), options.block_paths);
    }
  }
  ranks::barrier();
  info.parallel = true;
  info.first_block = share.first;
  info.end_block = share.end;
  ResultsWriter writer(model, temporary, info);
  RankCheckpoint state;
  if (r.resume) {
    state = agree_rank_checkpoint(temporary);
    writer.restore_rank_state(state);
  } else if (checkpointing(r)) {
    writer.save_rank_state(0);  // a run killed before its first checkpoint can be resumed
  }
  options.first_path = std::min((share.first + state.blocks_done) * B, sc.paths);
  options.end_path = std::min(share.end * B, sc.paths);
  // Test hook (tests/mpi_layouts.sh shifted): rank 1 simulates its share one block late, which
  // the comparison with a one-process file must catch.
  if (ranks::rank() == 1 && std::getenv("RXSTRESS_TEST_SHIFT_RANK1") != nullptr) {
    options.first_path = std::min(options.first_path + B, sc.paths);
    options.end_path = std::min(options.end_path + B, sc.paths);
  }
  const std::int64_t mine_done = options.first_path - std::min(share.first * B, sc.paths);
  const std::int64_t done = ranks::sum(mine_done);
  if (r.resume && !r.quiet)
    out << fmt::format("resuming {}: {} of {} paths done\n", temporary, done, sc.paths);
  clock.record("open results file", clock.lap());
  ProgressBar bar(sc.paths, ranks::root() && !r.quiet, progress_every, done);
  bool complete = false;
  double agree_seconds = 0.0, write_seconds = 0.0;
  {
    h5::CollectiveWrites collective;
    RankSlots slots(writer, g_stop, bar, state.slots, mine_done,
                    {checkpointing(r), r.checkpoint_every, abort_after_blocks()});
    run_paths(model, options, slots);
    slots.pad_to((blocks + ranks::size() - 1) / ranks::size());
    complete = !slots.stopped();
    agree_seconds = slots.agree_seconds();
    write_seconds = slots.write_seconds();
  }
  bar.finish();
  clock.record("simulate paths (parallel pipeline, wall)", clock.lap());
  clock.record("write path blocks (serial stage, inside the pipeline)", options.consume_seconds);
  clock.record("  of which MPI agreements at each block, rank 0 (inside the pipeline)",
               agree_seconds);
  clock.record("  of which collective writes, rank 0 (inside the pipeline)", write_seconds);
  if (complete) writer.finish();
  clock.record("statistics pass and file close", clock.lap());
  return complete;
}

// An MPI run (R > 1) cannot hold its file in memory: every rank writes it. Bad input: exit 2.
void check_parallel_request(const RunRequest& r) {
  if (ranks::size() > 1 && r.no_output)
    throw InputError({"--no-output", 0, 0}, "",
                     fmt::format("not taken by an MPI run ({} ranks)", ranks::size()),
                     "a run on one rank (mpirun -n 1, or the serial build) for this option");
}

}  // namespace

// Under mpirun every rank loads the scenario, but rank 0 alone prints and checks the output's
// place; a failure on any rank is every rank's (the same exit status everywhere, no file).
int agreed_status(int status, const std::string& message, std::ostream& err_all) {
  if (ranks::size() == 1 || !ranks::any(status != 0)) return status;
  const int root_status = ranks::broadcast(status);
  if (root_status != 0) return root_status;  // rank 0 has said why
  if (status != 0) err_all << fmt::format("rxstress (MPI rank {}): {}\n", ranks::rank(), message);
  return status != 0 ? status : 2;
}

int run_command(const RunRequest& r, std::ostream& out_all, std::ostream& err_all) {
  namespace fs = std::filesystem;
  std::ostream silent(nullptr);  // what ranks other than 0 print: nothing
  std::ostream& out = ranks::root() ? out_all : silent;
  std::ostream& err = ranks::root() ? err_all : silent;
  PhaseClock clock;
  const int threads = worker_threads(r.threads);
  const std::optional<double> progress_every = progress_interval(r, err);
  if (!progress_every) return 2;
  try {
    require_simd();  // a CPU the vector engine cannot run on is a failure, said before anything
                     // else
  } catch (const RunError& e) {
    err << "rxstress: " << e.what() << "\n";
    return 1;
  }
  Scenario sc;
  std::optional<Model> model;
  int status = 0;
  std::string message;
  try {
    sc = load_scenario(r.scenario, overrides_of(r));
    status = report_warnings(sc, r.strict, r.quiet, err);
    if (status == 0) {
      model.emplace(sc);
      check_parallel_request(r);
      if (!r.no_output && ranks::root()) {
        check_output_target(r.output, r.force);
        if (checkpointing(r)) check_checkpoint_target(*model, r);
        remove_stale_partials(r.output, err);  // before the space check: they may free some
      }
      if (ranks::root()) status = check_resources(*model, r, threads, out, err);
    }
    clock.record("load scenario and build model", clock.lap());
  } catch (const InputError& e) {
    err << "rxstress: " << e.what() << "\n";
    message = e.what();
    status = 2;
  } catch (const std::exception& e) {
    err << "rxstress: internal error while loading the scenario: " << e.what() << "\n";
    message = e.what();
    status = 1;
  }
  if (const int agreed = agreed_status(status, message, err_all)) return agreed;
  const std::string temporary = temporary_name(r);
  const bool parallel = ranks::size() > 1;
  SignalGuard guard;
  try {
    if (!r.quiet)
      out << fmt::format(
          "rxstress {}: {} practices, {} drivers, {} models, {} paths, seed {}, {}{} thread{}, "
          "{}\n",
          sc.name, sc.population.size(), sc.drivers.size(), sc.delegation.size(), sc.paths, sc.seed,
          parallel ? fmt::format("{} MPI ranks x ", ranks::size()) : "", threads,
          threads == 1 ? "" : "s", simd_description());
    const bool complete =
        parallel ? simulate_on_ranks(*model, r, threads, *progress_every, temporary, clock, out)
                 : simulate_to(*model, r, threads, *progress_every, temporary, clock, out);
    if (!complete) {
      const int sig = g_signal.load();
      if (checkpointing(r)) {
        err << "rxstress: interrupted; the completed blocks are kept in " << temporary
            << " (the same command with --resume continues it)\n";
      } else {
        if (!r.no_output && ranks::root()) fs::remove(temporary);
        err << "rxstress: interrupted; no results file written\n";
      }
      return sig == SIGTERM ? 143 : 130;
    }
    if (!r.no_output && ranks::root()) {
      commit_results(temporary, r.output, r.force);
      if (parallel && checkpointing(r)) remove_rank_checkpoints(temporary, ranks::size());
      clock.record("flush to disk and rename", clock.lap());
    }
  } catch (const std::exception& e) {
    if (parallel) {
      // The other ranks may be waiting in a collective write that this one will never make.
      err_all << fmt::format("rxstress (MPI rank {}): {}; no results file written\n", ranks::rank(),
                             e.what());
      std::error_code ignored;
      if (ranks::root()) fs::remove(temporary, ignored);
      ranks::abort(1);
    }
    if (checkpointing(r)) {
      // The last checkpoint recorded in it is still what --resume starts from.
      err << "rxstress: " << e.what() << "; " << temporary << " kept as last checkpointed\n";
      return 1;
    }
    std::error_code ignored;
    if (!r.no_output) fs::remove(temporary, ignored);
    err << "rxstress: " << e.what() << "; " << what_was_written(r) << "\n";
    return 1;
  }
  if (!r.quiet && !r.no_output && ranks::root()) {
    out << "wrote " << r.output << "\n\n";
    print_headline(r.output, out);
    clock.record("headline", clock.lap());
  }
  clock.record("total", clock.total());
  if (r.timings) clock.print(err);
  return 0;
}

}  // namespace rxstress
