// The statistics pass (docs/model.md §2.5): every summary number comes from all the paths'
// outcomes, read back from the file holder by holder, so memory is bounded by one batch of columns.
#include <fmt/format.h>
#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_group.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <memory>
#include <new>

#include <sys/mman.h>

#include "io/results_writer.hpp"
#include "stats/column_sums.hpp"

namespace rxstress {
namespace {

constexpr std::size_t kBatchBytes = std::size_t{256} << 20;  // the most one batch reads
constexpr std::size_t kSlabBytes = std::size_t{32} << 20;    // what a batch aims at
constexpr std::size_t tileBytes = std::size_t{4} << 20;      // a thread's gathered columns
constexpr std::size_t kPrefetchRows = 8;                     // rows of the slab read ahead
constexpr std::size_t kMaxTile = 64;                         // the most columns gathered at once

// Holders read at once from a [Y, K, H] dataset: whole strips of chunks (each chunk read and its
// checksum checked once), as many as fit in kSlabBytes, else one strip if it fits in kBatchBytes,
// else as many holders as fit in kBatchBytes. A slab that stays within the caches' reach is
// gathered into columns faster, and a virtual machine's first touch of fresh pages is costly.
hsize_t holder_batch(const h5::Dataset& outcomes, hsize_t K) {
  const std::vector<hsize_t> chunk = outcomes.chunk();
  const hsize_t width = chunk.size() > 2 ? chunk[2] : 1, strip = 8 * K * width;
  if (strip <= kSlabBytes) return kSlabBytes / strip * width;
  return strip <= kBatchBytes ? width : kBatchBytes / (8 * K);
}

// Writes the summaries of a [Y, H] set of holders as the stats datasets of group g.
void write_summaries(h5::Group& g, const std::vector<stats::HolderSummary>& s, hsize_t Y, hsize_t H,
                     const std::vector<double>& thresholds) {
  const hsize_t X = thresholds.size(), Q = stats::kQuantileProbs.size();
  const hsize_t R = stats::kReturnPeriods.size(), A = stats::kAlphas.size();
  auto scalar = [&](const char* name, double stats::HolderSummary::*field) {
    std::vector<double> v(Y * H);
    for (hsize_t j = 0; j < Y * H; ++j) v[j] = s[j].*field;
    g.write<double>(name, v, {Y, H});
  };
  scalar("mean", &stats::HolderSummary::mean);
  scalar("sd", &stats::HolderSummary::sd);
  scalar("se_mean", &stats::HolderSummary::se_mean);
  scalar("cv", &stats::HolderSummary::cv);
  auto vector = [&](const char* name, hsize_t n, auto get) {
    std::vector<double> v(Y * H * n);
    for (hsize_t j = 0; j < Y * H; ++j)
      for (hsize_t q = 0; q < n; ++q) v[j * n + q] = get(s[j], q);
    g.write<double>(name, v, {Y, H, n});
    return g.open_dataset(name);
  };
  vector("quantiles", Q, [](auto& x, hsize_t q) {
    return x.quantiles[q];
  }).set_attr("probs", std::span<const double>(stats::kQuantileProbs));
  vector("var", A, [](auto& x, hsize_t q) {
    return x.var[q];
  }).set_attr("alphas", std::span<const double>(stats::kAlphas));
  vector("es", A, [](auto& x, hsize_t q) {
    return x.es[q];
  }).set_attr("alphas", std::span<const double>(stats::kAlphas));
  auto ci = vector("q95_ci", 2, [](auto& x, hsize_t q) { return x.q95_ci[q]; });
  ci.set_attr("level", stats::kCiLevel);
  ci.set_attr("meaning", std::string_view("distribution-free 95% CI of the 95% quantile"));
  std::vector<double> periods(stats::kReturnPeriods.begin(), stats::kReturnPeriods.end());
  auto rp =
      vector("return_period_loss", R, [](auto& x, hsize_t q) { return x.return_period_loss[q]; });
  rp.set_attr("periods", std::span<const double>(periods));
  rp.set_attr("note", std::string_view("NaN where the number of paths is below the return period "
                                       "(never extrapolated)"));
  vector("p_exceed", X, [](auto& x, hsize_t q) {
    return x.p_exceed[q];
  }).set_attr("thresholds", std::span<const double>(thresholds));
}

void write_convergence(h5::Group& st, const std::vector<stats::Convergence>& c, hsize_t Y,
                       hsize_t H) {
  h5::Group g = st.create_group("convergence");
  const hsize_t S = stats::Convergence::kSteps;
  g.write<double>("paths", std::span<const double>(c[0].paths), {S});
  auto put = [&](const char* name,
                 std::array<double, stats::Convergence::kSteps> stats::Convergence::*field) {
    std::vector<double> v(Y * H * S);
    for (hsize_t j = 0; j < Y * H; ++j)
      for (hsize_t s = 0; s < S; ++s) v[j * S + s] = (c[j].*field)[s];
    g.write<double>(name, v, {Y, H, S});
  };
  put("mean", &stats::Convergence::mean);
  put("se_mean", &stats::Convergence::se_mean);
  put("q95", &stats::Convergence::q95);
  put("se_q95", &stats::Convergence::se_q95);
  g.set_attr("meaning", std::string_view("mean and 95% quantile of the outcome, with standard "
                                         "errors, over the first K/8, K/4, K/2 and K paths"));
}

// Holders [h0, h0 + n) of year y: what one read brings in.
struct Strip {
  hsize_t y = 0, h0 = 0, n = 0;
};

// A strip of a [Y, K, H] dataset (or a [Y, K] one: one holder) of dimensions `dims` into
// `slab`, as [K, n].
void read_strip(const h5::Dataset& outcomes, const std::vector<hsize_t>& dims, Strip s,
                double* slab) {
  const hsize_t K = dims[1];
  if (dims.size() > 2) {
    const hsize_t off[] = {s.y, 0, s.h0}, cnt[] = {1, K, s.n};
    outcomes.read_chunks<double>(off, cnt, slab);
  } else {
    const hsize_t off[] = {s.y, 0}, cnt[] = {1, K};
    outcomes.read_slab<double>(off, cnt, slab);
  }
}

// The summaries of a strip's holders, from its slab, into their slots of `out` (holder j of year
// y at y * H + j).
void summarise_strip(const double* slab, hsize_t K, hsize_t H, Strip s,
                     const std::vector<double>& budget, const std::vector<double>& thresholds,
                     std::span<const double> extra_probs, LevelStats& out) {
  const hsize_t n = s.n;
  const hsize_t tile = std::clamp<hsize_t>(tileBytes / (8 * K), 8, kMaxTile);
  const std::size_t E = extra_probs.size();
  // Holders are independent: summarised in parallel, each into its own slot, so the results
  // do not depend on the thread count.
  tbb::parallel_for(tbb::blocked_range<hsize_t>(0, n, tile), [&](const auto& range) {
    // Columns are gathered a tile of holders at a time, so each row of the slab (a page or
    // more apart from the next) is read several cache lines at a time: one TLB miss and one
    // prefetch stream per row and tile rather than per cache line.
    // The rows ahead are prefetched: they are a page or more apart, too far for the
    // hardware prefetcher, and the slab is about as large as the last-level cache or larger.
    thread_local std::vector<double> columns;
    columns.resize(tile * K);
    for (hsize_t t0 = range.begin(); t0 < range.end(); t0 += tile) {
      const hsize_t width = std::min(tile, range.end() - t0);
      for (hsize_t k = 0; k < K; ++k) {
        if (k + kPrefetchRows < K)
          for (hsize_t c = 0; c < width; c += 8)
            __builtin_prefetch(slab + (k + kPrefetchRows) * n + t0 + c);
        for (hsize_t c = 0; c < width; ++c) columns[c * K + k] = slab[k * n + t0 + c];
      }
      std::array<const double*, kMaxTile> starts;
      for (hsize_t c = 0; c < width; ++c) starts[c] = columns.data() + c * K;
      std::array<stats::ColumnSums, kMaxTile> sums;
      stats::column_sums(std::span(starts.data(), width), K, std::span(sums.data(), width));
      for (hsize_t c = 0; c < width; ++c) {
        const std::span<const double> column(columns.data() + c * K, K);
        const hsize_t j = s.y * H + s.h0 + t0 + c;
        stats::summarise_column(sums[c], column, budget[j], thresholds, extra_probs,
                                std::span(out.extra_quantiles).subspan(j * E, E), out.holders[j],
                                out.convergence[j]);
      }
    }
  });
}

}  // namespace

// A slab in 2 MB pages where the kernel offers them (transparent huge pages, on request): the
// gather reads each of K rows a page or more apart, twice, so with 4 KB pages every row costs a
// TLB miss each time (and a page-table walk is dearer still in a virtual machine).
class StripSlabs::Slab {
 public:
  static constexpr std::size_t kHugePage = std::size_t{2} << 20;
  explicit Slab(std::size_t doubles)
      : bytes_((doubles * sizeof(double) + kHugePage - 1) / kHugePage * kHugePage),
        data_(static_cast<double*>(::operator new (bytes_, std::align_val_t{kHugePage}))) {
    ::madvise(data_, bytes_, MADV_HUGEPAGE);  // advice only: refused, the pages stay 4 KB
  }
  ~Slab() { ::operator delete (data_, std::align_val_t{kHugePage}); }
  Slab(const Slab&) = delete;
  Slab& operator=(const Slab&) = delete;
  std::size_t doubles() const { return bytes_ / sizeof(double); }
  double* get() const { return data_; }

 private:
  std::size_t bytes_;
  double* data_;
};

StripSlabs::StripSlabs() = default;
StripSlabs::~StripSlabs() = default;

double* StripSlabs::get(std::size_t i, std::size_t doubles) {
  if (!slabs_[i] || slabs_[i]->doubles() < doubles) {
    slabs_[i].reset();  // freed before its successor is allocated
    slabs_[i] = std::make_unique<Slab>(doubles);
  }
  return slabs_[i]->get();
}

// Two slabs of columns, each a strip one chunk wide (holder_chunk keeps it within kStripBytes) or
// as many strips as fit in kSlabBytes, never more than the largest level, and at least what the
// ES95 attribution reads into them (half of kSlabBytes into the first; a quarter and the tails'
// values into the second); each thread's tile of columns (at least 8 columns) and one column's
// order statistics; and the attribution's lists of tail paths (about kSlabBytes / 20).
double statistics_pass_bytes(double K, double most_holders, int threads) {
  const double strip = 8.0 * K * std::min(most_holders, double(holder_chunk(K)));
  const double slab = std::min(8.0 * K * most_holders, std::max(strip, double(kSlabBytes)));
  const double per_thread = std::max(double(tileBytes), 8.0 * 8.0 * K) + 3.0 * 8.0 * K;
  return 2.0 * std::max(slab, kSlabBytes / 2.0) + threads * per_thread + kSlabBytes / 20.0;
}

LevelStats summarise_dataset(const h5::Dataset& outcomes, const std::vector<double>& budget,
                             const std::vector<double>& thresholds,
                             std::span<const double> extra_probs, hsize_t first_holder,
                             hsize_t end_holder) {
  StripSlabs slabs;
  return summarise_dataset(outcomes, budget, thresholds, slabs, extra_probs, first_holder,
                           end_holder);
}

LevelStats summarise_dataset(const h5::Dataset& outcomes, const std::vector<double>& budget,
                             const std::vector<double>& thresholds, StripSlabs& slabs,
                             std::span<const double> extra_probs, hsize_t first_holder,
                             hsize_t end_holder) {
  const auto dims = outcomes.dims();
  const hsize_t Y = dims[0], K = dims[1], H = dims.size() > 2 ? dims[2] : 1;
  const hsize_t h_end = std::min(end_holder, H), h_first = std::min(first_holder, h_end);
  const hsize_t batch = std::clamp<hsize_t>(holder_batch(outcomes, K), 1, H);
  LevelStats out;
  out.holders.resize(Y * H);
  out.convergence.resize(Y * H);
  out.extra_quantiles.resize(Y * H * extra_probs.size());
  std::vector<Strip> strips;
  for (hsize_t y = 0; y < Y; ++y)
    for (hsize_t h0 = h_first; h0 < h_end; h0 += batch)
      strips.push_back({y, h0, std::min(batch, h_end - h0)});
  if (strips.empty()) return out;
  // Two slabs: the next strip is read on this thread (HDF5, and MPI-IO under it, are called from
  // one thread only) while the workers summarise the last one, so reading and checking the
  // chunks no longer idles the other threads; with one thread the two simply take turns. Only
  // when both fit in kBatchBytes, the pass's bound on what it reads at once (the writer narrows
  // the chunks as the paths grow, holder_chunk, so a strip stays within kStripBytes; a file
  // chunked otherwise may have wider strips): beyond, one slab, read between summaries.
  // Not zeroed: each read fills what is used. Kept by the caller from one dataset to the next.
  const bool overlap = strips.size() > 1 && 2 * 8 * K * batch <= kBatchBytes;
  const std::array<double*, 2> slab_of{slabs.get(0, K * batch),
                                       overlap ? slabs.get(1, K * batch) : nullptr};
  read_strip(outcomes, dims, strips[0], slab_of[0]);
  for (std::size_t i = 0; i < strips.size(); ++i) {
    const double* slab = slab_of[overlap ? i % 2 : 0];
    const bool more = i + 1 < strips.size();
    tbb::task_group summaries;
    summaries.run([&, slab, i] {
      summarise_strip(slab, K, H, strips[i], budget, thresholds, extra_probs, out);
    });
    if (overlap && more) read_strip(outcomes, dims, strips[i + 1], slab_of[(i + 1) % 2]);
    summaries.wait();
    if (!overlap && more) read_strip(outcomes, dims, strips[i + 1], slab_of[0]);
  }
  return out;
}

namespace {

// The m largest gross outcomes of holder h of a [K, n] slab, ties broken by path index so that
// the set is deterministic, in the order nth_element leaves them (the order of the sums below).
void tail_paths(const double* gross, hsize_t K, hsize_t n, hsize_t h, std::size_t m,
                std::vector<std::size_t>& order) {
  order.resize(K);
  for (std::size_t k = 0; k < K; ++k) order[k] = k;
  auto larger = [&](std::size_t a, std::size_t b) {
    const double va = gross[a * n + h], vb = gross[b * n + h];
    return va > vb || (va == vb && a < b);
  };
  std::nth_element(order.begin(), order.begin() + (m - 1), order.end(), larger);
}

}  // namespace

// Each driver's share of ES_95 of the gross variance: its mean contribution over the paths in the
// 5 % tail of gross, divided by the tail mean (the shares sum to 1). Memory stays bounded by
// `bytes` whatever the paths: gross is read for a batch of holders and each holder's tail found;
// the drivers' contributions are then read a block of paths at a time and only the tail paths'
// kept, so that the sums run over each tail in the same order whatever the bound.
std::vector<double> es_attribution(const h5::Dataset& gross_ds, const h5::Dataset& by_driver,
                                   std::size_t bytes) {
  StripSlabs slabs;
  return es_attribution(gross_ds, by_driver, bytes, slabs);
}

std::vector<double> es_attribution(const h5::Dataset& gross_ds, const h5::Dataset& by_driver,
                                   std::size_t bytes, StripSlabs& slabs) {
  const auto dims = by_driver.dims();  // [Y, K, H, D]
  const hsize_t Y = dims[0], K = dims[1], H = dims[2], D = dims[3];
  const hsize_t batch = std::clamp<hsize_t>(bytes / 2 / (8 * K), 1, H);
  const hsize_t P = std::clamp<hsize_t>(bytes / 4 / (8 * batch * D), 1, K);  // paths a read
  const std::size_t m = stats::tail_count(0.95, K);
  // The three largest buffers in the statistics pass's strip buffers, which are idle here and
  // usually large enough already: their pages are touched once per run, not once per level, and
  // the pass's peak memory does not grow with the paths (the tails kept, batch x m values per
  // driver, are about bytes / 320 whatever the paths).
  double* const gross = slabs.get(0, K * batch);
  double* const parts = slabs.get(1, P * batch * D + batch * m * D);
  double* const kept = parts + P * batch * D;
  std::vector<double> tail(batch);
  std::vector<double> share(Y * H * D);
  // Per holder: its tail paths in summation order, and their positions in that order by path.
  std::vector<std::size_t> paths(batch * m), by_path(batch * m), cursor(batch);
  for (hsize_t y = 0; y < Y; ++y)
    for (hsize_t h0 = 0; h0 < H; h0 += batch) {
      const hsize_t n = std::min(batch, H - h0);
      const hsize_t goff[] = {y, 0, h0}, gcnt[] = {1, K, n};
      gross_ds.read_chunks<double>(goff, gcnt, gross);
      // Holders are independent: each is attributed in parallel into its own slot.
      tbb::parallel_for(tbb::blocked_range<hsize_t>(0, n, 4), [&](const auto& range) {
        std::vector<std::size_t> order;
        for (hsize_t h = range.begin(); h < range.end(); ++h) {
          tail_paths(gross, K, n, h, m, order);
          std::size_t* mine = paths.data() + h * m;
          std::copy_n(order.begin(), m, mine);
          tail[h] = 0.0;
          for (std::size_t r = 0; r < m; ++r) tail[h] += gross[mine[r] * n + h];
          std::size_t* pos = by_path.data() + h * m;
          for (std::size_t r = 0; r < m; ++r) pos[r] = r;
          std::sort(pos, pos + m, [&](std::size_t a, std::size_t b) { return mine[a] < mine[b]; });
          cursor[h] = 0;
        }
      });
      for (hsize_t k0 = 0; k0 < K; k0 += P) {
        const hsize_t kn = std::min(P, K - k0);
        const hsize_t doff[] = {y, k0, h0, 0}, dcnt[] = {1, kn, n, D};
        by_driver.read_chunks<double>(doff, dcnt, parts);
        tbb::parallel_for(tbb::blocked_range<hsize_t>(0, n, 4), [&](const auto& range) {
          for (hsize_t h = range.begin(); h < range.end(); ++h)
            for (std::size_t& c = cursor[h]; c < m; ++c) {
              const std::size_t r = by_path[h * m + c], k = paths[h * m + r];
              if (k >= k0 + kn) break;
              std::copy_n(parts + ((k - k0) * n + h) * D, D, kept + (h * m + r) * D);
            }
        });
      }
      for (hsize_t h = 0; h < n; ++h)
        for (hsize_t d = 0; d < D; ++d) {
          double by = 0.0;
          for (std::size_t r = 0; r < m; ++r) by += kept[(h * m + r) * D + d];
          share[(y * H + h0 + h) * D + d] = by / tail[h];
        }
    }
  return share;
}

void ResultsWriter::write_es_attribution(h5::Group& st, std::size_t l, StripSlabs& slabs) {
  const hsize_t Y = model_.years(), D = model_.drivers(), H = model_.levels()[l].size();
  st.write<double>("es95_attribution",
                   es_attribution(*gross_[l], *by_driver_[l], kSlabBytes, slabs), {Y, H, D});
  std::vector<std::string> names;
  for (const auto& d : model_.scenario().drivers) names.push_back(d->name());
  st.open_dataset("es95_attribution").set_attr("drivers", std::span<const std::string>(names));
}

void ResultsWriter::write_statistics(const std::vector<LevelStats>& shared) {
  const Scenario& sc = model_.scenario();
  const hsize_t Y = model_.years(), K = sc.paths, D = model_.drivers();
  const auto& thresholds = sc.outputs.thresholds;
  std::vector<std::string> driver_names;
  for (const auto& d : sc.drivers) driver_names.push_back(d->name());
  StripSlabs slabs;  // one pair for every dataset: fresh pages cost a first touch each
  for (std::size_t m = 0; m < sc.delegation.size(); ++m) {
    const std::size_t l = model_.level_of_model(m);
    const HolderMap& map = model_.levels()[l];
    const hsize_t H = map.size();
    h5::Group g = file_.open_group("models/" + sc.delegation[m].name);
    h5::Group st = g.create_group("stats");
    const h5::Dataset outcome = g.open_dataset("outcome");
    LevelStats computed;
    if (shared.empty())
      computed = summarise_dataset(outcome, map.budget, thresholds, slabs, sc.outputs.cover);
    const LevelStats& level_stats = shared.empty() ? computed : shared[m];
    write_summaries(st, level_stats.holders, Y, H, thresholds);
    write_reserves(st, model_, m, level_stats);
    write_convergence(st, level_stats.convergence, Y, H);
    if (by_driver_[l]) write_es_attribution(st, l, slabs);
    // The ICB residual, against the total budget of the year.
    std::vector<double> total(Y, 0.0);
    for (hsize_t y = 0; y < Y; ++y)
      for (hsize_t h = 0; h < H; ++h) total[y] += map.budget[y * H + h];
    h5::Group rg = st.create_group("icb_residual");
    write_summaries(rg, summarise_dataset(residual_[m], total, thresholds, slabs).holders, Y, 1,
                    thresholds);
    h5::Group cg = st.create_group("icb_carries");
    write_summaries(cg, summarise_dataset(icb_carries_[m], total, thresholds, slabs).holders, Y, 1,
                    thresholds);
    // Attribution of gross variance: Cov(x_d, V) / Var(V) per holder and year, from the sums of
    // deviations from the exact expectations (the centres cancel out of both).
    const Block::AttributionSums& a = attribution_[l];
    std::vector<double> share(Y * H * D, std::numeric_limits<double>::quiet_NaN());
    for (hsize_t y = 0; y < Y; ++y)
      for (hsize_t h = 0; h < H; ++h) {
        const hsize_t j = y * H + h;
        const double var = (a.vv[j] - a.v[j] * a.v[j] / K) / (K - 1);
        if (K < 2 || !(var > 0.0)) continue;
        for (hsize_t d = 0; d < D; ++d) {
          const hsize_t k = (y * D + d) * H + h;
          share[j * D + d] = (a.xv[k] - a.x[k] * a.v[j] / K) / (K - 1) / var;
        }
      }
    st.write<double>("attribution", share, {Y, H, D});
    st.open_dataset("attribution").set_attr("drivers", std::span<const std::string>(driver_names));
    // Breach counts: mean and 95th percentile over paths of holders above each threshold.
    const auto breaches = breaches_[m].read_all<std::int32_t>();
    const hsize_t X = thresholds.size();
    std::vector<double> mean(Y * X), p95(Y * X), column(K);
    for (hsize_t y = 0; y < Y; ++y)
      for (hsize_t x = 0; x < X; ++x) {
        for (hsize_t k = 0; k < K; ++k) column[k] = breaches[(y * K + k) * X + x];
        std::sort(column.begin(), column.end());
        double sum = 0.0;
        for (double c : column) sum += c;
        mean[y * X + x] = sum / K;
        p95[y * X + x] = stats::quantile_sorted(column, 0.95);
      }
    st.write<double>("breaches_mean", mean, {Y, X});
    st.write<double>("breaches_p95", p95, {Y, X});
  }
}

}  // namespace rxstress
