#include "io/checkpoint.hpp"

#include <fmt/format.h>

#include "io/sha256.hpp"
#include "rxstress/error.hpp"
#include "rxstress/random.hpp"

namespace rxstress {
namespace {

constexpr const char* kGroup = "checkpoint";

struct Part {
  const char* name;
  std::vector<double> Block::AttributionSums::*field;
};
constexpr Part kParts[] = {{"v", &Block::AttributionSums::v},
                           {"vv", &Block::AttributionSums::vv},
                           {"x", &Block::AttributionSums::x},
                           {"xv", &Block::AttributionSums::xv}};

std::string part_name(std::size_t level, const char* part) {
  return fmt::format("level_{}_{}", level, part);
}

InputError not_resumable(const std::string& path, const std::string& problem,
                         const std::string& expected) {
  return InputError({path, 0, 0}, "", problem, expected);
}

}  // namespace

std::string checkpoint_path(const std::string& output) { return output + ".checkpoint"; }

void save_checkpoint(h5::File& file, const Checkpoint& c) {
  const bool first = !file.exists(kGroup);
  h5::Group g = first ? file.create_group(kGroup) : file.open_group(kGroup);
  // The sums first, the count last: a count never claims sums that are not there yet.
  for (std::size_t l = 0; l < c.attribution.size(); ++l)
    for (const Part& p : kParts) {
      const std::vector<double>& values = c.attribution[l].*p.field;
      const std::string name = part_name(l, p.name);
      if (first) {
        g.write<double>(name, values, {values.size()});
      } else if (!values.empty()) {
        const hsize_t off[] = {0}, cnt[] = {values.size()};
        g.open_dataset(name).write_slab<double>(off, cnt, values.data());
      }
    }
  g.set_attr("block_paths", std::int64_t{c.block_paths});
  g.set_attr("completed_blocks", c.completed_blocks);
  file.flush();
}

Checkpoint load_checkpoint(const h5::Group& file) {
  const h5::Group g = file.open_group(kGroup);
  Checkpoint c;
  c.completed_blocks = g.attr_int("completed_blocks");
  c.block_paths = static_cast<int>(g.attr_int("block_paths"));
  for (std::size_t l = 0; g.exists(part_name(l, "v")); ++l) {
    Block::AttributionSums sums;
    for (const Part& p : kParts)
      sums.*p.field = g.open_dataset(part_name(l, p.name)).read_all<double>();
    c.attribution.push_back(std::move(sums));
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
