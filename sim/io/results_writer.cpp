#include "io/results_writer.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <stdexcept>

#include "hpc/ranks.hpp"
#include "io/checkpoint.hpp"
#include "io/sha256.hpp"

namespace rxstress {
namespace {

constexpr std::int64_t kWritebackBlocks = 8;  // blocks written between writeback requests

std::vector<hsize_t> path_chunk(hsize_t Y, hsize_t B, hsize_t K, hsize_t H) {
  return {std::min<hsize_t>(Y, 1), std::min(B, K), std::min<hsize_t>(H, holder_chunk(K))};
}

void close_all(std::vector<h5::Dataset>& datasets) {
  for (auto& d : datasets) d.close();
}

void close_all(std::vector<std::optional<h5::Dataset>>& datasets) {
  for (auto& d : datasets)
    if (d) d->close();
}

constexpr std::vector<double> Block::AttributionSums::*kSumParts[] = {
    &Block::AttributionSums::v, &Block::AttributionSums::vv, &Block::AttributionSums::x,
    &Block::AttributionSums::xv};

std::size_t flat_size(const std::vector<Block::AttributionSums>& levels) {
  std::size_t n = 0;
  for (const auto& sums : levels)
    for (auto part : kSumParts) n += (sums.*part).size();
  return n;
}

// Every level's v, vv, x and xv one after the other (the OrderedSum's vectors).
void flatten(const std::vector<Block::Level>& levels, std::vector<double>& out) {
  out.clear();
  for (const auto& level : levels)
    for (auto part : kSumParts)
      out.insert(out.end(), (level.attribution.*part).begin(), (level.attribution.*part).end());
}

std::vector<Block::AttributionSums> unflatten(std::span<const double> flat,
                                              std::vector<Block::AttributionSums> layout) {
  std::size_t at = 0;
  for (auto& sums : layout)
    for (auto part : kSumParts) {
      std::copy_n(flat.begin() + at, (sums.*part).size(), (sums.*part).begin());
      at += (sums.*part).size();
    }
  return layout;
}

h5::File open_results(const std::string& path, const RunInfo& info) {
  if (info.parallel) return h5::File::open_parallel(path);
  return info.resume ? h5::File::open_write(path) : h5::File::create(path, info.storage);
}

}  // namespace

std::uint64_t holder_chunk(std::uint64_t paths) {
  std::uint64_t width = 512;
  while (width > 8 && 8 * paths * width > kStripBytes) width /= 2;
  return width;
}

ResultsWriter::ResultsWriter(const Model& model, const std::string& path, RunInfo info)
    : model_(model), path_(path), info_(std::move(info)), file_(open_results(path, info_)) {
  start_attribution();
  if (info_.parallel) {  // laid out by rank 0 already (a resumed run: restore_rank_state)
    open_datasets();
    allocate_budgets();
    return;
  }
  if (info_.resume) {
    reopen();
    return;
  }
  write_header();
  write_practices();
  write_drivers();
  create_models();
  create_national();
  create_trajectories();
  create_driver_detail();
  // A run killed before its first block still leaves a file that --resume accepts.
  if (info_.checkpoint) save_checkpoint_now();
}

std::int64_t ResultsWriter::first_path() const {
  return std::min<std::int64_t>(blocks_done_ * info_.block_paths, model_.scenario().paths);
}

void ResultsWriter::save_rank_state(std::int64_t slots) {
  file_.flush();
  save_rank_checkpoint(
      path_, ranks::rank(), ranks::size(),
      {slots, blocks_done_, attribution_sum_->open_nodes(), attribution_sum_->emitted_nodes()});
}

void ResultsWriter::restore_rank_state(const RankCheckpoint& state) {
  blocks_done_ = state.blocks_done;
  attribution_sum_->restore(state.open, state.emitted);
}

void ResultsWriter::save_checkpoint_now() {
  save_checkpoint(file_, {blocks_done_, info_.block_paths, attribution_sum_->top_level(),
                          attribution_sum_->width(), attribution_sum_->open_nodes()});
  last_checkpoint_ = std::chrono::steady_clock::now();
}

// Everything before the first incomplete block is in the file already (check_resumable checked
// that it was written for this scenario, seed and paths): only the handles are needed.
void ResultsWriter::reopen() {
  const Checkpoint c = load_checkpoint(file_);
  blocks_done_ = c.completed_blocks;
  open_datasets();
  attribution_sum_->restore(c.attribution);
  allocate_budgets();
  // A run killed during its statistics pass left some of them: they are computed again.
  for (const auto& dm : model_.scenario().delegation)
    if (file_.exists("models/" + dm.name + "/stats")) file_.remove("models/" + dm.name + "/stats");
}

void ResultsWriter::start_attribution() {
  for (const auto& level : model_.levels()) {
    Block::AttributionSums sums;
    sums.v.assign(level.budget.size(), 0.0);
    sums.vv.assign(level.budget.size(), 0.0);
    sums.x.assign(level.expected_spend.size(), 0.0);
    sums.xv.assign(level.expected_spend.size(), 0.0);
    attribution_layout_.push_back(std::move(sums));
  }
  const std::int64_t blocks = block_count(model_.scenario().paths, info_.block_paths);
  attribution_sum_.emplace(blocks, info_.first_block,
                           info_.end_block < 0 ? blocks : info_.end_block,
                           flat_size(attribution_layout_));
}

void ResultsWriter::open_datasets() {
  const Scenario& sc = model_.scenario();
  gross_.resize(model_.levels().size());
  by_driver_.resize(model_.levels().size());
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const std::size_t l = model_.level_of_model(m);
    const h5::Group g = file_.open_group("models/" + sc.delegation[m].name);
    if (!gross_[l]) gross_[l] = g.open_dataset("gross");
    if (!by_driver_[l] && model_.keeps_driver_detail(l))
      by_driver_[l] = g.open_dataset("gross_by_driver");
    if (sc.delegation[m].terms.any())
      retained_.push_back(g.open_dataset("outcome"));
    else
      retained_.emplace_back(std::nullopt);
    residual_.push_back(g.open_dataset("icb_residual"));
    icb_carries_.push_back(g.open_dataset("icb_carries"));
    breaches_.push_back(g.open_dataset("breaches"));
  }
  for (const NationalSeries& s : model_.national())
    national_.push_back(file_.open_dataset("national/" + s.name));
  trajectories_.resize(model_.levels().size());
  for (std::size_t l = 0; l < model_.levels().size(); ++l)
    if (model_.trajectory_paths() > 0 && model_.keeps_trajectories(l))
      trajectories_[l] = file_.open_dataset(std::string("trajectories/") +
                                            level_name(model_.levels()[l].level) + "/spend");
  for (std::size_t d : model_.detail_drivers())
    detail_.push_back(file_.open_dataset("drivers/detail/" + sc.drivers[d]->name()));
}

void ResultsWriter::write_header() {
  const Scenario& sc = model_.scenario();
  file_.set_attr("format", std::string_view("rxstress.results"));
  file_.set_attr("format_version", std::int64_t{1});
  file_.set_attr("stream_version", kStreamVersion);
  file_.set_attr("rxstress_version", std::string_view(RXSTRESS_VERSION));
  file_.set_attr("created", std::string_view(info_.created));
  file_.set_attr("seed", static_cast<std::int64_t>(sc.seed));
  file_.set_attr("paths", sc.paths);
  file_.set_attr("horizon_months", std::int64_t{sc.horizon_months});
  file_.set_attr("start", std::string_view(sc.start.text()));
  file_.set_attr("scenario_name", std::string_view(sc.name));
  file_.set_attr("scenario_sha256", std::string_view(sha256_hex(sc.text)));
  // Absolute, so that `replay` resolves a relative population CSV path from wherever it runs.
  const std::string scenario_file =
      sc.file.empty() ? "" : std::filesystem::absolute(sc.file).string();
  file_.set_attr("scenario_file", std::string_view(scenario_file));
  file_.set_attr("command_line", std::string_view(info_.command_line));
  file_.set_attr("currency", std::string_view("GBP"));
  std::vector<std::string> years;
  for (int y = 0; y < model_.years(); ++y) years.push_back(model_.calendar().year_label(y));
  file_.set_attr("settlement_years", std::span<const std::string>(years));
  file_.write_string("scenario", sc.text);
}

void ResultsWriter::write_practices() {
  const Population& pop = model_.scenario().population;
  h5::Group g = file_.create_group("practices");
  const hsize_t P = pop.size();
  g.write_strings("id", pop.id);
  g.write_strings("name", pop.name);
  g.write<double>("list_size", pop.list_size, {P});
  g.write<double>("annual_spend", pop.annual_spend, {P});
  g.write<double>("generic_share", pop.generic_share, {P});
  g.write_strings("neighbourhood", pop.neighbourhood);
  g.write_strings("provider", pop.provider);
  // Budget per settlement year, transposed from the model's [practice][year] to [year][practice].
  const hsize_t Y = model_.years();
  std::vector<double> budget(Y * P);
  for (hsize_t i = 0; i < P; ++i)
    for (hsize_t y = 0; y < Y; ++y) budget[y * P + i] = model_.practice_budget()[i * Y + y];
  g.write<double>("budget", budget, {Y, P});
  g.set_attr("source", std::string_view(pop.source));
}

void ResultsWriter::write_drivers() {
  const Scenario& sc = model_.scenario();
  h5::Group g = file_.create_group("drivers");
  std::vector<std::string> names, types, sources, params;
  for (std::size_t d = 0; d < sc.drivers.size(); ++d) {
    names.push_back(sc.drivers[d]->name());
    types.push_back(sc.drivers[d]->type());
    sources.push_back(sc.drivers[d]->source());
    std::string text;
    for (const auto& p : *sc.driver_params[d])
      text += p.key_path + " = " + p.value + (p.unit.empty() ? "" : " [" + p.unit + "]") +
              (p.defaulted ? " (default)" : "") + "  # " + p.meaning + "\n";
    params.push_back(text);
  }
  g.write_strings("names", names);
  g.write_strings("types", types);
  g.write_strings("sources", sources);
  g.write_strings("parameters", params);
  // Exact expected spend of each driver over all practices, per settlement year [D, Y].
  const std::size_t P = model_.practices(), T = model_.months(), Y = model_.years();
  std::vector<double> expected(sc.drivers.size() * Y, 0.0);
  for (std::size_t d = 0; d < sc.drivers.size(); ++d)
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t t = 0; t < T; ++t)
        expected[d * Y + model_.calendar().year_of(static_cast<int>(t))] +=
            model_.expected()[d][i * T + t];
  g.write<double>("expected_annual", expected, {sc.drivers.size(), Y});
}

void ResultsWriter::create_models() {
  const Scenario& sc = model_.scenario();
  const hsize_t Y = model_.years(), K = sc.paths, B = info_.block_paths;
  const int deflate = sc.outputs.compression;
  const hsize_t X = sc.outputs.thresholds.size();
  std::vector<std::string> level_home(model_.levels().size());  // model holding a level's gross
  gross_.resize(model_.levels().size());
  by_driver_.resize(model_.levels().size());
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const DelegationModel& dm = sc.delegation[m];
    const std::size_t l = model_.level_of_model(m);
    const HolderMap& map = model_.levels()[l];
    const hsize_t H = map.size();
    h5::Group g = file_.create_group("models/" + dm.name);
    g.set_attr("holder_level", std::string_view(level_name(dm.level)));
    g.set_attr("terms", std::string_view(dm.terms.text()));
    g.write_strings("holders", map.ids);
    g.write<double>("list_size", map.list_size, {H});
    g.write<double>("budget", map.budget, {Y, H});
    // Models of one level share their gross variance: stored once, hard-linked elsewhere.
    if (level_home[l].empty()) {
      gross_[l] = g.create_dataset<double>("gross", {Y, K, H}, path_chunk(Y, B, K, H), deflate);
      gross_[l]->set_attr("unit", std::string_view("GBP"));
      level_home[l] = "/models/" + dm.name;
      if (model_.keeps_driver_detail(l)) {
        const hsize_t D = model_.drivers();
        by_driver_[l] =
            g.create_dataset<double>("gross_by_driver", {Y, K, H, D},
                                     {1, std::min(B, K), std::min<hsize_t>(H, 64), D}, deflate);
        by_driver_[l]->set_attr("meaning",
                                std::string_view("each driver's spend minus the budget allocated "
                                                 "to it; sums over drivers to gross"));
      }
    } else {
      g.hard_link(level_home[l] + "/gross", "gross");
      if (by_driver_[l]) g.hard_link(level_home[l] + "/gross_by_driver", "gross_by_driver");
    }
    if (dm.terms.any()) {
      retained_.push_back(
          g.create_dataset<double>("outcome", {Y, K, H}, path_chunk(Y, B, K, H), deflate));
    } else {
      retained_.emplace_back(std::nullopt);
      g.hard_link("/models/" + dm.name + "/gross", "outcome");
    }
    residual_.push_back(
        g.create_dataset<double>("icb_residual", {Y, K}, {1, std::min(B, K)}, deflate));
    icb_carries_.push_back(
        g.create_dataset<double>("icb_carries", {Y, K}, {1, std::min(B, K)}, deflate));
    if (dm.capacity) g.set_attr("capacity", *dm.capacity);
    breaches_.push_back(
        g.create_dataset<std::int32_t>("breaches", {Y, K, X}, {1, std::min(B, K), X}, deflate));
    breaches_.back().set_attr("thresholds", std::span<const double>(sc.outputs.thresholds));
  }
  std::vector<std::string> order;
  for (const auto& dm : sc.delegation) order.push_back(dm.name);
  file_.open_group("models").set_attr("order", std::span<const std::string>(order));
  allocate_budgets();
}

void ResultsWriter::create_national() {
  const hsize_t K = model_.scenario().paths, T = model_.months();
  const hsize_t B = std::min<hsize_t>(info_.block_paths, K);
  h5::Group g = file_.create_group("national");
  for (std::size_t i = 0; i < model_.national().size(); ++i) {
    const NationalSeries& s = model_.national()[i];
    national_.push_back(s.monthly ? g.create_dataset<double>(s.name, {K, T}, {B, T})
                                  : g.create_dataset<double>(s.name, {K}, {B}));
    national_.back().set_attr("unit", std::string_view(s.unit));
    national_.back().set_attr("meaning", std::string_view(s.meaning));
    national_.back().set_attr(
        "driver", std::string_view(model_.scenario().drivers[model_.national_driver(i)]->name()));
  }
}

void ResultsWriter::create_trajectories() {
  const hsize_t S = model_.trajectory_paths(), T = model_.months();
  h5::Group g = file_.create_group("trajectories");
  g.set_attr("paths", static_cast<std::int64_t>(S));
  trajectories_.resize(model_.levels().size());
  if (S == 0) return;
  const std::size_t P = model_.practices();
  for (std::size_t l = 0; l < model_.levels().size(); ++l) {
    if (!model_.keeps_trajectories(l)) continue;
    const HolderMap& map = model_.levels()[l];
    const hsize_t H = map.size();
    h5::Group lg = g.create_group(level_name(map.level));
    lg.write_strings("holders", map.ids);
    std::vector<double> budget(T * H, 0.0);
    for (std::size_t i = 0; i < P; ++i)
      for (std::size_t t = 0; t < T; ++t)
        budget[t * H + map.of_practice[i]] += model_.monthly_budget()[i * T + t];
    lg.write<double>("budget", budget, {T, H});
    trajectories_[l] = lg.create_dataset<double>("spend", {S, T, H}, {1, T, H});
    trajectories_[l]->set_attr("unit", std::string_view("GBP"));
  }
}

// Every write is made even when there is nothing to write (block null, or no trajectory paths in
// it): in an MPI run each is a collective call that every rank makes in the same order. The
// [Y, K, H] datasets go a chunk at a time (write_chunks): a block is a row of whole chunks.
void ResultsWriter::write_block(const Block* block) {
  const hsize_t Y = model_.years(), b = block ? block->count : 0, first = block ? block->first : 0;
  const hsize_t X = model_.scenario().outputs.thresholds.size();
  for (std::size_t l = 0; l < gross_.size(); ++l) {
    const hsize_t H = model_.levels()[l].size();
    const hsize_t off[] = {0, first, 0}, cnt[] = {Y, b, H};
    gross_[l]->write_chunks<double>(off, cnt, block ? block->levels[l].gross.data() : nullptr);
    if (trajectories_[l]) {
      const hsize_t S = block ? block->trajectory_count : 0;
      const hsize_t toff[] = {S ? first : 0, 0, 0}, tcnt[] = {S, hsize_t(model_.months()), H};
      trajectories_[l]->write_slab<double>(toff, tcnt,
                                           S ? block->levels[l].monthly.data() : nullptr);
    }
  }
  for (std::size_t m = 0; m < retained_.size(); ++m) {
    const hsize_t H = model_.levels()[model_.level_of_model(m)].size();
    const hsize_t off[] = {0, first, 0}, cnt[] = {Y, b, H};
    if (retained_[m])
      retained_[m]->write_chunks<double>(off, cnt,
                                         block ? block->models[m].retained.data() : nullptr);
    const hsize_t roff[] = {0, first}, rcnt[] = {Y, b};
    residual_[m].write_slab<double>(roff, rcnt, block ? block->models[m].residual.data() : nullptr);
    const hsize_t bcnt[] = {Y, b, X};
    breaches_[m].write_slab<std::int32_t>(off, bcnt,
                                          block ? block->models[m].breaches.data() : nullptr);
    if (block) icb_carried_block(model_, *block, m, scratch_);
    icb_carries_[m].write_slab<double>(roff, rcnt, block ? scratch_.data() : nullptr);
  }
  std::size_t offset = 0;
  const std::size_t W = model_.national_width();
  std::vector<double> column(b * model_.months());
  for (std::size_t s = 0; s < national_.size(); ++s) {
    const std::size_t width = model_.national()[s].monthly ? model_.months() : 1;
    for (std::size_t j = 0; j < b; ++j)
      std::copy_n(block->national.data() + j * W + offset, width, column.data() + j * width);
    const hsize_t off[] = {first, 0}, cnt[] = {b, hsize_t(width)};
    national_[s].write_slab<double>(std::span(off, width > 1 ? 2 : 1),
                                    std::span(cnt, width > 1 ? 2 : 1), column.data());
    offset += width;
  }
  if (block) merge_attribution(*block);
  write_by_driver(block);
  for (std::size_t q = 0; q < detail_.size(); ++q) {
    const hsize_t P = model_.practices();
    const hsize_t off[] = {0, first, 0}, cnt[] = {Y, b, P};
    detail_[q].write_chunks<double>(off, cnt, block ? block->detail[q].data() : nullptr);
  }
  if (!block) return;
  ++blocks_done_;
  // Left to itself the kernel writes a large machine's dirty pages back only when the run's
  // final fsync asks, which then waits for the whole file: started now, the disk works while
  // the paths are simulated.
  if (blocks_done_ % kWritebackBlocks == 0) file_.start_writeback();
  // (An MPI run's checkpoints are agreed among the ranks: RankSlots calls save_rank_state.)
  if (info_.checkpoint && !info_.parallel &&
      std::chrono::duration<double>(std::chrono::steady_clock::now() - last_checkpoint_).count() >=
          info_.checkpoint_every)
    save_checkpoint_now();
}

void ResultsWriter::create_driver_detail() {
  const Scenario& sc = model_.scenario();
  const hsize_t Y = model_.years(), K = sc.paths, P = model_.practices();
  const hsize_t B = std::min<hsize_t>(info_.block_paths, K);
  if (model_.detail_drivers().empty()) return;
  h5::Group g = file_.create_group("drivers/detail");
  for (std::size_t d : model_.detail_drivers()) {
    detail_.push_back(g.create_dataset<double>(sc.drivers[d]->name(), {Y, K, P},
                                               path_chunk(Y, B, K, P), sc.outputs.compression));
    detail_.back().set_attr("unit", std::string_view("GBP"));
    detail_.back().set_attr("meaning", std::string_view("annual spend of the driver per practice"));
  }
}

// The budget of each holder is shared among the drivers pro rata to the funded drivers'
// expectations (with the `expected` method that is exactly (1 + uplift) x E[driver]), so that each
// driver's contribution V_d = spend_d - budget_d sums over drivers to the gross variance.
void ResultsWriter::allocate_budgets() {
  const std::size_t D = model_.drivers(), Y = model_.years();
  std::vector<double> funded(D, 0.0);
  for (std::size_t d = 0; d < D; ++d) funded[d] = model_.funded(d) ? 1.0 : 0.0;
  for (std::size_t l = 0; l < model_.levels().size(); ++l) {
    const HolderMap& map = model_.levels()[l];
    const std::size_t H = map.size();
    std::vector<double> share(Y * H * D, 0.0);
    const auto expected = [&](std::size_t y, std::size_t h, std::size_t d) {
      return map.expected_spend[(y * D + d) * H + h];
    };
    for (std::size_t y = 0; y < Y; ++y)
      for (std::size_t h = 0; h < H; ++h) {
        const std::size_t j = y * H + h;
        double weight = 0.0;
        for (std::size_t d = 0; d < D; ++d) weight += funded[d] * expected(y, h, d);
        const double budget = map.budget[j];
        for (std::size_t d = 0; d < D; ++d)
          share[j * D + d] = weight != 0.0 ? budget * funded[d] * expected(y, h, d) / weight
                                           : (d == 0 ? budget : 0.0);
      }
    driver_budget_.push_back(std::move(share));
  }
}

void ResultsWriter::write_by_driver(const Block* block) {
  const hsize_t Y = model_.years(), b = block ? block->count : 0, D = model_.drivers();
  static const std::vector<double> nothing;
  for (std::size_t l = 0; l < by_driver_.size(); ++l) {
    if (!by_driver_[l]) continue;
    const hsize_t H = model_.levels()[l].size();
    const auto& x = block ? block->levels[l].by_driver : nothing;  // [y][path][holder][driver]
    scratch_.resize(x.size());
    for (hsize_t y = 0; y < Y; ++y)
      for (hsize_t j = 0; j < b; ++j)
        for (hsize_t hd = 0; hd < H * D; ++hd)
          scratch_[(y * b + j) * H * D + hd] =
              x[(y * b + j) * H * D + hd] - driver_budget_[l][y * H * D + hd];
    const hsize_t off[] = {0, block ? hsize_t(block->first) : 0, 0, 0}, cnt[] = {Y, b, H, D};
    by_driver_[l]->write_chunks<double>(off, cnt, scratch_.data());
  }
}

void ResultsWriter::merge_attribution(const Block& block) {
  flatten(block.levels, scratch_);
  attribution_sum_->add(0, block.first / info_.block_paths, scratch_);
}

void ResultsWriter::finish_attribution() {
  const std::vector<stats::OrderedSum::Node> root = attribution_sum_->finish();
  attribution_ = unflatten_attribution(root.at(0).values);
}

std::vector<Block::AttributionSums> ResultsWriter::unflatten_attribution(
    std::span<const double> flat) const {
  return unflatten(flat, attribution_layout_);
}

void ResultsWriter::finish(const std::function<void(const h5::File&)>& before_close) {
  if (info_.parallel) {
    finish_parallel(before_close);
    return;
  }
  finish_attribution();
  write_statistics();
  // Last, so that a run killed in its statistics pass can still be resumed.
  if (info_.checkpoint) file_.remove("checkpoint");
  if (before_close) before_close(file_);
  close_file();
}

void ResultsWriter::close_file() {
  // Each dataset closed and checked before the file, so that file_.close() is the file's real
  // close: HDF5 defers it until the last open dataset closes, in a destructor that cannot report.
  for (auto* datasets : {&gross_, &retained_, &trajectories_, &by_driver_}) close_all(*datasets);
  for (auto* datasets : {&residual_, &icb_carries_, &breaches_, &national_, &detail_})
    close_all(*datasets);
  // One left open would defer the close's last writes to a destructor that cannot report their
  // failure: a programming error, refused on every run rather than found on a full disk. (Counted
  // before the close, thrown after it, so that a write failure there is the one reported.)
  const std::size_t left_open = file_.open_objects();
  file_.close();
  if (left_open > 0)
    throw std::logic_error(
        fmt::format("{} object(s) still open at the close of the results", left_open));
  for (auto* datasets : {&gross_, &retained_, &trajectories_, &by_driver_}) datasets->clear();
  for (auto* datasets : {&residual_, &icb_carries_, &breaches_, &national_, &detail_})
    datasets->clear();
}

}  // namespace rxstress
