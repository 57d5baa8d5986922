#include "io/results_reader.hpp"

#include <cmath>
#include <filesystem>

#include "rxstress/error.hpp"

namespace rxstress {
namespace {

std::vector<double> read_or_empty(const h5::Group& g, const std::string& name) {
  return g.exists(name) ? g.open_dataset(name).read_all<double>() : std::vector<double>{};
}

}  // namespace

// A missing file, another HDF5 file or another format version is the user's input: exit 2.
h5::File open_results(const std::string& path) {
  const auto bad = [&](const std::string& problem, const std::string& expected) {
    return InputError({path, 0, 0}, "results", problem, expected);
  };
  const std::string expected = "a results file written by rxstress run";
  if (!std::filesystem::is_regular_file(path))
    throw bad(std::filesystem::exists(path) ? "not a regular file" : "no such file", expected);
  h5::File f = h5::File::open_read(path);
  if (!f.has_attr("format") || f.attr_string("format") != "rxstress.results")
    throw bad("not an rxstress results file", expected);
  if (f.attr_int("format_version") != 1)
    throw bad("results format version " + std::to_string(f.attr_int("format_version")),
              "format version 1, the one this rxstress reads");
  return f;
}

std::vector<std::string> model_names(const h5::File& file) {
  return file.open_group("models").attr_strings("order");
}

ModelResults read_model(const h5::File& file, const std::string& name) {
  const h5::Group g = file.open_group("models/" + name);
  const h5::Group st = g.open_group("stats");
  ModelResults r;
  r.name = name;
  r.level = g.attr_string("holder_level");
  r.terms = g.attr_string("terms");
  r.holders = g.open_dataset("holders").read_strings();
  r.list_size = g.open_dataset("list_size").read_all<double>();
  r.years = file.attr_strings("settlement_years");
  r.H = r.holders.size();
  r.Y = r.years.size();
  r.budget = g.open_dataset("budget").read_all<double>();
  r.mean = st.open_dataset("mean").read_all<double>();
  r.sd = st.open_dataset("sd").read_all<double>();
  r.se_mean = st.open_dataset("se_mean").read_all<double>();
  r.cv = st.open_dataset("cv").read_all<double>();
  r.quantiles = st.open_dataset("quantiles").read_all<double>();
  r.probs = st.open_dataset("quantiles").attr_doubles("probs");
  r.var = st.open_dataset("var").read_all<double>();
  r.es = st.open_dataset("es").read_all<double>();
  r.q95_ci = st.open_dataset("q95_ci").read_all<double>();
  r.p_exceed = st.open_dataset("p_exceed").read_all<double>();
  r.thresholds = st.open_dataset("p_exceed").attr_doubles("thresholds");
  r.return_period_loss = st.open_dataset("return_period_loss").read_all<double>();
  r.periods = st.open_dataset("return_period_loss").attr_doubles("periods");
  r.attribution = st.open_dataset("attribution").read_all<double>();
  r.drivers = st.open_dataset("attribution").attr_strings("drivers");
  r.es95_attribution = read_or_empty(st, "es95_attribution");
  r.breaches_mean = st.open_dataset("breaches_mean").read_all<double>();
  const h5::Group res = st.open_group("icb_residual");
  r.residual_mean = res.open_dataset("mean").read_all<double>();
  r.residual_sd = res.open_dataset("sd").read_all<double>();
  r.residual_var = res.open_dataset("var").read_all<double>();
  r.residual_es = res.open_dataset("es").read_all<double>();
  if (st.exists("icb_carries")) {
    const h5::Group c = st.open_group("icb_carries");
    r.carried_mean = c.open_dataset("mean").read_all<double>();
    r.carried_se_mean = c.open_dataset("se_mean").read_all<double>();
    r.carried_var = c.open_dataset("var").read_all<double>();
    r.carried_es = c.open_dataset("es").read_all<double>();
  }
  if (st.exists("reserve")) {
    r.reserve = st.open_dataset("reserve").read_all<double>();
    r.cover = st.open_dataset("reserve").attr_doubles("cover");
  }
  if (g.has_attr("capacity")) r.capacity = g.attr_double("capacity");
  const h5::Group conv = st.open_group("convergence");
  r.conv_paths = conv.open_dataset("paths").read_all<double>();
  r.conv_mean = conv.open_dataset("mean").read_all<double>();
  r.conv_se_mean = conv.open_dataset("se_mean").read_all<double>();
  r.conv_q95 = conv.open_dataset("q95").read_all<double>();
  r.conv_se_q95 = conv.open_dataset("se_q95").read_all<double>();
  return r;
}

std::size_t ModelResults::holder_index(const std::string& id) const {
  for (std::size_t h = 0; h < H; ++h)
    if (holders[h] == id) return h;
  return H;
}

namespace {
int index_of(const std::vector<double>& values, double x) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (std::abs(values[i] - x) < 1e-12) return static_cast<int>(i);
  return -1;
}
}  // namespace

int ModelResults::threshold_index(double x) const { return index_of(thresholds, x); }
int ModelResults::cover_index(double c) const { return index_of(cover, c); }

}  // namespace rxstress
