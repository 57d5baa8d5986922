#include "io/checkpoint.hpp"

#include <fmt/format.h>

#include "hpc/ranks.hpp"
#include "io/sha256.hpp"
#include "rxstress/error.hpp"
#include "rxstress/random.hpp"

namespace rxstress {
namespace {

constexpr const char* kGroup = "checkpoint";

InputError not_resumable(const std::string& path, const std::string& problem,
                         const std::string& expected) {
  return InputError({path, 0, 0}, "", problem, expected);
}

}  // namespace

std::string checkpoint_path(const std::string& output) { return output + ".checkpoint"; }

// The open nodes sit in fixed slots, one per tree level ([level - 1] of attribution_sums, its
// node's index in attribution_index, -1 when none is open), so that a checkpoint overwrites the
// same datasets every time instead of leaving dead space in the file.
void save_checkpoint(h5::File& file, const Checkpoint& c) {
  const bool first = !file.exists(kGroup);
  h5::Group g = first ? file.create_group(kGroup) : file.open_group(kGroup);
  const hsize_t L = c.attribution_levels, W = c.attribution_width;
  if (first) {
    g.write<double>("attribution_sums", std::vector<double>(L * W, 0.0), {L, W});
    g.write<std::int64_t>("attribution_index", std::vector<std::int64_t>(L, -1), {L});
  }
  // The sums first, the count last: a count never claims sums that are not there yet.
  std::vector<std::int64_t> index(L, -1);
  h5::Dataset sums = g.open_dataset("attribution_sums");
  for (const auto& node : c.attribution) {
    const hsize_t off[] = {hsize_t(node.level - 1), 0}, cnt[] = {1, W};
    sums.write_slab<double>(off, cnt, node.values.data());
    index[node.level - 1] = node.index;
  }
  const hsize_t off[] = {0}, cnt[] = {L};
  g.open_dataset("attribution_index").write_slab<std::int64_t>(off, cnt, index.data());
  g.set_attr("block_paths", std::int64_t{c.block_paths});
  g.set_attr("completed_blocks", c.completed_blocks);
  file.flush();
}

Checkpoint load_checkpoint(const h5::Group& file) {
  const h5::Group g = file.open_group(kGroup);
  Checkpoint c;
  c.completed_blocks = g.attr_int("completed_blocks");
  c.block_paths = static_cast<int>(g.attr_int("block_paths"));
  const h5::Dataset sums = g.open_dataset("attribution_sums");
  const auto dims = sums.dims();
  c.attribution_levels = static_cast<int>(dims.at(0));
  c.attribution_width = dims.at(1);
  const auto index = g.open_dataset("attribution_index").read_all<std::int64_t>();
  for (std::size_t l = 0; l < index.size(); ++l) {
    if (index[l] < 0) continue;
    stats::OrderedSum::Node node{static_cast<int>(l + 1), index[l],
                                 std::vector<double>(c.attribution_width)};
    const hsize_t off[] = {l, 0}, cnt[] = {1, c.attribution_width};
    sums.read_slab<double>(off, cnt, node.values.data());
    c.attribution.push_back(std::move(node));
  }
  return c;
}

void check_resumable(const std::string& path, const Model& model, int block_paths) {
  const Scenario& sc = model.scenario();
  const h5::File f = h5::File::open_write(path);  // clears a killed run's open-for-write flag
  const std::string redo = "the scenario, --set, --seed and --paths of the run that wrote it";
  if (!f.exists(kGroup))
    throw not_resumable(path,
                        "not a checkpoint (no /checkpoint group): a complete file or "
                        "another program's",
                        "a file left by `rxstress run --checkpoint`");
  const auto differs = [&](const char* what, std::int64_t in_file, std::int64_t here) {
    if (in_file != here)
      throw not_resumable(
          path, fmt::format("{} {} in the checkpoint, {} in this run", what, in_file, here), redo);
  };
  differs("seed", f.attr_int("seed"), static_cast<std::int64_t>(sc.seed));
  differs("paths", f.attr_int("paths"), sc.paths);
  differs("stream_version", f.attr_int("stream_version"), kStreamVersion);
  differs("block_paths", f.open_group(kGroup).attr_int("block_paths"), block_paths);
  // An MPI run's checkpoint goes on with the same number of ranks (each has its share).
  const h5::Group g = f.open_group(kGroup);
  const std::int64_t file_ranks = g.has_attr("mpi_ranks") ? g.attr_int("mpi_ranks") : 1;
  if (file_ranks != ranks::size())
    throw not_resumable(
        path, fmt::format("written by {} MPI rank(s), this run has {}", file_ranks, ranks::size()),
        fmt::format("the same number of ranks (mpirun -n {})", file_ranks));
  if (f.attr_string("rxstress_version") != RXSTRESS_VERSION)
    throw not_resumable(path,
                        "written by rxstress " + f.attr_string("rxstress_version") + ", this is " +
                            RXSTRESS_VERSION,
                        "the same rxstress version (or start the run again)");
  // Last: --seed and --paths change the text too, and are named above more precisely.
  if (f.attr_string("scenario_sha256") != sha256_hex(sc.text))
    throw not_resumable(path,
                        "written for another scenario (its resolved text differs: the file, "
                        "an extended file or a --set)",
                        redo);
}

}  // namespace rxstress
