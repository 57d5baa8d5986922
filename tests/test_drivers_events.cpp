// The event drivers (category_m, new_medicines, patent_expiry, step_shock, savings_plan) against
// closed forms derived here, independently of the drivers' own expected(): a fixed seed and a
// tolerance of 4 Monte Carlo standard errors computed from the sample. Systemic factors make the
// practices of a path dependent, so every sample holds one value per path.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>

#include "drivers/laws.hpp"
#include "scenario/param_node.hpp"
#include "support.hpp"

using namespace rxstress;
using namespace rxstress::testing;

namespace {

constexpr double kSe = 4.0;  // tolerance in standard errors
constexpr int kMonths = 12;
const std::string kIcbLevel = "delegation:\n  - {name: icb, holder: icb}\n";
const std::string kPracticeLevel = "delegation:\n  - {name: p, holder: practice}\n";

// Sample covariance of x and y with its standard error (from the products of deviations).
Moments covariance(const std::vector<double>& x, const std::vector<double>& y) {
  const Moments mx = moments(x), my = moments(y);
  std::vector<double> products;
  for (std::size_t k = 0; k < x.size(); ++k)
    products.push_back((x[k] - mx.mean) * (y[k] - my.mean));
  return moments(products);
}

// The model's exact expectation of driver d for practice i over the first settlement year.
double model_expected(const Model& model, std::size_t i, std::size_t d = 0) {
  const auto& e = model.expected()[d];
  return std::accumulate(e.begin() + i * kMonths, e.begin() + (i + 1) * kMonths, 0.0);
}

// A discrete law on months as (value, probability) pairs.
using Law = std::vector<std::pair<int, double>>;
Law uniform(int from, int to) {
  Law law;
  for (int v = from; v <= to; ++v) law.push_back({v, 1.0 / (to - from + 1)});
  return law;
}
// E[f(X)] and E[f(X)^2] for X from `law`.
template <class F>
std::pair<double, double> law_moments(const Law& law, F f) {
  double m1 = 0, m2 = 0;
  for (auto [v, p] : law) {
    m1 += p * f(v);
    m2 += p * f(v) * f(v);
  }
  return {m1, m2};
}
// Months of the first year at or after month m: #{t in 0..11 : t >= m}.
double months_from(int m) { return std::clamp(kMonths - m, 0, kMonths); }

}  // namespace

TEST_CASE("shared laws: draws have the moments their parameters say", "[drivers]") {
  auto node = [](const std::string& yaml) {
    return ParamNode(YAML::Load(yaml), "laws.yaml", "law");
  };
  constexpr int kDraws = 200000;
  SystemicStream s(20260401, "laws", 0);
  auto sample = [&](auto draw) {
    std::vector<double> x;
    for (int k = 0; k < kDraws; ++k) x.push_back(draw());
    return moments(x);
  };
  auto check = [](const Moments& m, double mean, double var) {
    INFO("mean " << m.mean << " vs " << mean << " (se " << m.se_mean << "), var " << m.var << " vs "
                 << var << " (se " << m.se_var << ")");
    // <=: a value of probability 0 is never drawn, so its sample is exact (se 0).
    CHECK(std::abs(m.mean - mean) <= kSe * m.se_mean);
    CHECK(std::abs(m.var - var) <= kSe * m.se_var);
  };
  SECTION("Beta from mean and sd: variance sd^2") {
    const BetaLaw law(node("{mean: 0.3, sd: 0.2}"), "", "");
    check(sample([&] { return law.draw(s); }), 0.3, 0.04);
  }
  SECTION("Beta from mean and concentration: variance m (1 - m) / (c + 1)") {
    const BetaLaw law(node("{mean: 0.03, concentration: 50}"), "", "");
    check(sample([&] { return law.draw(s); }), 0.03, 0.03 * 0.97 / 51);
  }
  SECTION("Normal") {
    const NormalLaw law(node("{mean: -0.5, sd: 2}"), "", "");
    check(sample([&] { return law.draw(s); }), -0.5, 4.0);
  }
  SECTION("Gamma multiplier: mean 1, variance cv^2") {
    for (double cv : {0.3, 0.5}) {
      const MeanOneGamma law(cv);
      check(sample([&] { return s.gamma(law.shape().shape) * law.scale(); }), 1.0, cv * cv);
    }
    CHECK(MeanOneGamma(0.0).constant());
  }
  SECTION("discrete laws: each value with its probability") {
    const DiscreteLaw list(node("{values: [-2, 5, 14, 20], probs: [0.2, 0.5, 0.3, 0]}"), "");
    const DiscreteLaw range(node("{from: 3, to: 11}"), "");
    for (const DiscreteLaw* law : {&list, &range}) {
      for (std::size_t j = 0; j < law->size(); ++j) {
        INFO("value " << law->value(j));
        SystemicStream t(7, "discrete", j);
        check(sample([&] { return law->draw(t) == law->value(j) ? 1.0 : 0.0; }), law->prob(j),
              law->prob(j) * (1 - law->prob(j)));
      }
    }
    CHECK(range.size() == 9);
    CHECK(range.value(0) == 3);
    CHECK(range.prob(8) == Approx(1.0 / 9));
  }
}

TEST_CASE("category_m: the annual sum of a quarterly mean-one walk, mean and lognormal variance",
          "[drivers]") {
  const double n = 10000, sd = 0.1, count = 3;
  const auto sc =
      scenario(practices({n, n, n}),
               "  - type: category_m\n    every_months: 3\n    step_sd: 0.1\n", 20000, kIcbLevel);
  const Model model(sc);
  const auto m = moments(holder_values(sample_level(model, 0), 0));
  // ICB annual = c sum_t (I_{q(t)} - 1), c = sum_i g_i B_i/12, q(t) = t / 3. With
  // I_q = exp(sum_{j<=q} (sd z_j - sd^2/2)): E[I_q] = 1 and, for qa <= qb, I_qb = I_qa R with R
  // independent of I_qa and of mean 1, so E[I_qa I_qb] = E[I_qa^2] = exp(sd^2 (qa + 1)).
  const double c = count * 0.22 * 160.0 * n / 12.0;
  auto variance = [&](int every) {
    double v = 0;
    for (int a = 0; a < kMonths; ++a)
      for (int b = 0; b < kMonths; ++b)
        v += c * c * (std::exp(sd * sd * (std::min(a / every, b / every) + 1)) - 1.0);
    return v;
  };
  INFO("mean " << m.mean << " (se " << m.se_mean << "), var " << m.var << " vs " << variance(3)
               << " (se " << m.se_var << ")");
  CHECK(std::abs(m.mean) < kSe * m.se_mean);
  CHECK(std::abs(m.var - variance(3)) < kSe * m.se_var);
  // Sharp enough to tell quarterly from monthly revisions.
  CHECK(std::abs(m.var - variance(1)) > kSe * m.se_var);
  for (std::size_t i = 0; i < 3; ++i) CHECK(model_expected(model, i) == 0.0);
}

TEST_CASE("category_m: the index moves only at revisions and drives every practice", "[drivers]") {
  // every_months defaults to 3.
  const auto sc =
      scenario(practices({4000, 9000}), "  - type: category_m\n    step_sd: 0.05\n", 8, kIcbLevel);
  const Model model(sc);
  REQUIRE(model.national().size() == 1);
  CHECK(model.national()[0].name == "category_m_index");
  CHECK(model.national()[0].monthly);
  Block b;
  simulate_block(model, 0, 8, b);
  const double c = 0.22 * 160.0 * (4000 + 9000) / 12.0;
  for (int j = 0; j < 8; ++j) {
    const double* index = b.national.data() + j * model.national_width();
    double sum = 0;
    for (int t = 0; t < kMonths; ++t) {
      if (t % 3)
        CHECK(index[t] == index[t - 1]);
      else
        CHECK(index[t] != (t ? index[t - 1] : 1.0));
      sum += index[t] - 1.0;
    }
    CHECK(b.levels[0].by_driver[j] == Approx(c * sum).epsilon(1e-12));
  }
}

TEST_CASE("new_medicines: practice means, variance with the adoption multiplier, covariance",
          "[drivers]") {
  const std::vector<double> sizes{4000, 8000, 12000};
  const double prevalence = 0.02, cost = 150, peak_mean = 0.10, peak_sd = 0.05, cv = 0.5;
  const auto sc = scenario(practices(sizes),
                           "  - type: new_medicines\n    prevalence: 0.02\n"
                           "    cost_per_patient_month: 150\n    launch_month: {from: 0, to: 6}\n"
                           "    peak_uptake: {mean: 0.10, sd: 0.05}\n    half_peak_months: 9\n"
                           "    scale_months: 3\n    practice_cv: 0.5\n",
                           20000, kPracticeLevel);
  const Model model(sc);
  const auto s = sample_level(model, 0);
  // X_i = n_i prevalence cost y_i W with W = peak A(L), A(L) = sum_t 1/(1 + e^{-(t - L - 9)/3})
  // over t >= L; y_i, peak and L independent: E[X_i] = a_i E[peak] E[A], E[y^2] = 1 + cv^2, E[W^2]
  // = E[peak^2] E[A^2], Var X_i = a_i^2 (E[y^2] E[W^2] - E[W]^2) and, the y's being independent
  // across practices, Cov(X_i, X_j) = a_i a_j Var W.
  auto area = [](int launch) {
    double a = 0;
    for (int t = launch; t < kMonths; ++t) a += 1.0 / (1.0 + std::exp(-(t - launch - 9.0) / 3.0));
    return a;
  };
  const auto [ea, ea2] = law_moments(uniform(0, 6), area);
  const double ew = peak_mean * ea, ew2 = (peak_mean * peak_mean + peak_sd * peak_sd) * ea2;
  std::vector<double> a;
  for (double n : sizes) a.push_back(n * prevalence * cost);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const auto m = moments(holder_values(s, i));
    INFO("practice " << i << ": mean " << m.mean << " vs " << a[i] * ew << " (se " << m.se_mean
                     << ")");
    CHECK(std::abs(m.mean - a[i] * ew) < kSe * m.se_mean);
    CHECK(model_expected(model, i) == Approx(a[i] * ew).epsilon(1e-9));
  }
  const auto m0 = moments(holder_values(s, 0));
  const double var0 = a[0] * a[0] * ((1 + cv * cv) * ew2 - ew * ew);
  INFO("var " << m0.var << " vs " << var0 << " (se " << m0.se_var << ")");
  CHECK(std::abs(m0.var - var0) < kSe * m0.se_var);
  const auto c01 = covariance(holder_values(s, 0), holder_values(s, 1));
  const double cov01 = a[0] * a[1] * (ew2 - ew * ew);
  INFO("cov " << c01.mean << " vs " << cov01 << " (se " << c01.se_mean << ")");
  CHECK(std::abs(c01.mean - cov01) < kSe * c01.se_mean);
}

TEST_CASE("patent_expiry: a ramped saving, practice means, variance and covariance", "[drivers]") {
  const std::vector<double> sizes{5000, 10000};
  const double share_mean = 0.03, share_c = 50, depth_mean = 0.8, depth_sd = 0.1;
  const auto sc = scenario(practices(sizes),
                           "  - type: patent_expiry\n    share: {mean: 0.03, concentration: 50}\n"
                           "    per: path\n    planned_month: 3\n"
                           "    delay: {values: [0, 3, 6], probs: [0.6, 0.3, 0.1]}\n"
                           "    depth: {mean: 0.8, sd: 0.1}\n    ramp_months: 4\n",
                           20000, kPracticeLevel);
  const Model model(sc);
  const auto s = sample_level(model, 0);
  // X_i = -B_i/12 share_i depth F(E), F(E) = sum_{t >= E} min(1, (t - E + 1)/4), E = 3 + delay.
  auto ramp = [](int delay) {
    const int expiry = 3 + delay;
    double f = 0;
    for (int t = expiry; t < kMonths; ++t) f += std::min(1.0, (t - expiry + 1) / 4.0);
    return f;
  };
  const auto [ef, ef2] = law_moments({{0, 0.6}, {3, 0.3}, {6, 0.1}}, ramp);
  const double es2 = share_mean * share_mean + share_mean * (1 - share_mean) / (share_c + 1);
  const double ed2 = depth_mean * depth_mean + depth_sd * depth_sd;
  std::vector<double> b;
  for (double n : sizes) b.push_back(160.0 * n / 12.0);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double mean = -b[i] * share_mean * depth_mean * ef;
    const auto m = moments(holder_values(s, i));
    INFO("practice " << i << ": mean " << m.mean << " vs " << mean << " (se " << m.se_mean << ")");
    CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
    CHECK(model_expected(model, i) == Approx(mean).epsilon(1e-9));
    const double var = b[i] * b[i] * (es2 * ed2 * ef2 - std::pow(share_mean * depth_mean * ef, 2));
    INFO("var " << m.var << " vs " << var << " (se " << m.se_var << ")");
    CHECK(std::abs(m.var - var) < kSe * m.se_var);
  }
  // Shares are drawn per practice, depth and expiry per path.
  const auto c01 = covariance(holder_values(s, 0), holder_values(s, 1));
  const double cov01 =
      b[0] * b[1] * share_mean * share_mean * (ed2 * ef2 - std::pow(depth_mean * ef, 2));
  INFO("cov " << c01.mean << " vs " << cov01 << " (se " << c01.se_mean << ")");
  CHECK(std::abs(c01.mean - cov01) < kSe * c01.se_mean);
}

TEST_CASE("step_shock: ICB annual mean and variance", "[drivers]") {
  const double n = 8000, p = 0.3, mu = 0.02, sd = 0.01, segment = 0.3;
  const double c = 3 * 160.0 * n / 12.0 * segment;  // ICB monthly segment spend
  auto check = [&](const std::string& month_yaml, const Law& month) {
    const auto sc =
        scenario(practices({n, n, n}),
                 "  - type: step_shock\n    probability: 0.3\n    month: " + month_yaml +
                     "\n    magnitude: {mean: 0.02, sd: 0.01}\n"
                     "    segment_share: 0.3\n",
                 20000, kIcbLevel);
    const Model model(sc);
    const auto m = moments(holder_values(sample_level(model, 0), 0));
    // ICB annual = c occurs M K, K = months from the shock month; occurs, M, month independent.
    const auto [ek, ek2] = law_moments(month, months_from);
    const double mean = c * p * mu * ek;
    const double var = c * c * p * (mu * mu + sd * sd) * ek2 - mean * mean;
    INFO(month_yaml << ": mean " << m.mean << " vs " << mean << " (se " << m.se_mean << "), var "
                    << m.var << " vs " << var << " (se " << m.se_var << ")");
    CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
    CHECK(std::abs(m.var - var) < kSe * m.se_var);
    CHECK(model_expected(model, 0) + model_expected(model, 1) + model_expected(model, 2) ==
          Approx(mean).epsilon(1e-9));
  };
  SECTION("a window inside the horizon") { check("{from: 3, to: 11}", uniform(3, 11)); }
  SECTION("months before the start and after the horizon") {
    check("{values: [-2, 5, 14], probs: [0.2, 0.5, 0.3]}", {{-2, 0.2}, {5, 0.5}, {14, 0.3}});
  }
}

TEST_CASE("savings_plan: practice means, variance and covariance, with a start month",
          "[drivers]") {
  const std::vector<double> sizes{6000, 11000};
  const double planned = 0.02, d_mean = 0.7, d_sd = 0.15, cv = 0.3;
  const auto sc = scenario(practices(sizes),
                           "  - type: savings_plan\n    planned: 0.02\n    start_month: 1\n"
                           "    delivery: {mean: 0.7, sd: 0.15}\n"
                           "    delay: {values: [0, 3, 6], probs: [0.5, 0.3, 0.2]}\n"
                           "    practice_cv: 0.3\n",
                           20000, kPracticeLevel);
  const Model model(sc);
  const auto s = sample_level(model, 0);
  // X_i = -planned B_i/12 D y_i K, K = months from 1 + delay.
  const auto [ek, ek2] =
      law_moments({{0, 0.5}, {3, 0.3}, {6, 0.2}}, [](int d) { return months_from(1 + d); });
  const double ed2 = d_mean * d_mean + d_sd * d_sd;
  std::vector<double> c;
  for (double n : sizes) c.push_back(planned * 160.0 * n / 12.0);
  for (std::size_t i = 0; i < sizes.size(); ++i) {
    const double mean = -c[i] * d_mean * ek;
    const auto m = moments(holder_values(s, i));
    INFO("practice " << i << ": mean " << m.mean << " vs " << mean << " (se " << m.se_mean << ")");
    CHECK(std::abs(m.mean - mean) < kSe * m.se_mean);
    CHECK(model_expected(model, i) == Approx(mean).epsilon(1e-9));
    const double var = c[i] * c[i] * ((1 + cv * cv) * ed2 * ek2 - std::pow(d_mean * ek, 2));
    INFO("var " << m.var << " vs " << var << " (se " << m.se_var << ")");
    CHECK(std::abs(m.var - var) < kSe * m.se_var);
  }
  const auto c01 = covariance(holder_values(s, 0), holder_values(s, 1));
  const double cov01 = c[0] * c[1] * (ed2 * ek2 - std::pow(d_mean * ek, 2));
  INFO("cov " << c01.mean << " vs " << cov01 << " (se " << c01.se_mean << ")");
  CHECK(std::abs(c01.mean - cov01) < kSe * c01.se_mean);
}

TEST_CASE("events after the horizon contribute nothing, drawn or expected", "[drivers]") {
  const auto sc = scenario(
      practices({5000, 7000}),
      "  - type: new_medicines\n    prevalence: 0.02\n    cost_per_patient_month: 150\n"
      "    launch_month: {values: [12, 30], probs: [0.5, 0.5]}\n"
      "    peak_uptake: {mean: 0.1, concentration: 20}\n    half_peak_months: 9\n"
      "    scale_months: 3\n    practice_cv: 0.5\n"
      "  - type: patent_expiry\n    share: {mean: 0.03, concentration: 50}\n"
      "    planned_month: 10\n    delay: {values: [2, 4], probs: [0.5, 0.5]}\n"
      "    depth: {mean: 0.8, sd: 0.1}\n    ramp_months: 4\n"
      "  - type: savings_plan\n    planned: 0.02\n    start_month: 12\n"
      "    delivery: {mean: 0.7, sd: 0.15}\n    delay: {from: 0, to: 3}\n    practice_cv: 0.3\n",
      50, kPracticeLevel);
  const Model model(sc);
  const auto s = sample_level(model, 0);
  CHECK(std::all_of(s.by_driver.begin(), s.by_driver.end(), [](double x) { return x == 0.0; }));
  for (std::size_t d = 0; d < 3; ++d)
    CHECK(std::all_of(model.expected()[d].begin(), model.expected()[d].end(),
                      [](double x) { return x == 0.0; }));
}

TEST_CASE("two events of one type report their national series under their names", "[drivers]") {
  const std::string shock =
      "    probability: 0.3\n    month: {from: 3, to: 11}\n"
      "    magnitude: {mean: 0.02, sd: 0.01}\n    segment_share: 0.3\n";
  const auto sc =
      scenario(practices({5000}),
               "  - type: step_shock\n" + shock + "  - type: step_shock\n    name: vpag\n" + shock,
               4, kIcbLevel);
  const Model model(sc);
  std::vector<std::string> names;
  for (const auto& n : model.national()) names.push_back(n.name);
  CHECK(names == std::vector<std::string>{"step_shock_size", "step_shock_month",
                                          "vpag.step_shock_size", "vpag.step_shock_month"});
}

namespace {

// The InputError of loading a one-practice scenario with `driver` (fails the test otherwise), and
// the 1-based line and column of `value` in the scenario text.
struct Located {
  InputError error;
  int line, column;
};
Located load_error(const std::string& driver, const std::string& value) {
  const std::string text =
      "rxstress: 1\nname: test\nstart: 2026-04\nhorizon_months: 12\n"
      "paths: 10\nseed: 1\n" +
      practices({5000}) + "drivers:\n" + driver;
  const auto at = text.find(value);
  REQUIRE(at != std::string::npos);
  const auto line_start = text.rfind('\n', at);
  const int line = static_cast<int>(std::count(text.begin(), text.begin() + at, '\n')) + 1;
  const int column = static_cast<int>(at - line_start);
  try {
    load_scenario_text(text, "test.yaml");
  } catch (const InputError& e) {
    return {e, line, column};
  }
  FAIL("loaded without an InputError:\n" << text);
  throw std::logic_error("unreachable");
}

void check_located(const Located& l, int line, const std::string& key_path,
                   const std::string& fragment) {
  INFO(l.error.what());
  // The line is given by hand (the scenario has 9 lines before `drivers:`), the column found.
  CHECK(l.line == line);
  CHECK(l.error.where().line == line);
  CHECK(l.error.where().column == l.column);
  CHECK(l.error.key_path() == key_path);
  CHECK_THAT(l.error.what(),
             Catch::Matchers::StartsWith("test.yaml:" + std::to_string(line) + ":" +
                                         std::to_string(l.column) + ": " + key_path + ": "));
  CHECK_THAT(l.error.what(), Catch::Matchers::Contains(fragment));
}

const std::string kSavings =
    "  - type: savings_plan\n    planned: 0.02\n    delivery: {mean: 0.7, sd: 0.15}\n"
    "    practice_cv: 0.3\n";

}  // namespace

TEST_CASE("bad laws are InputErrors at line:column", "[drivers]") {
  SECTION("probabilities that do not sum to 1") {
    check_located(load_error(kSavings + "    delay: {values: [0, 3, 6], probs: [0.5, 0.3, 0.1]}\n",
                             "[0.5, 0.3, 0.1]"),
                  15, "drivers[0].delay.probs", "the probabilities sum to 0.9");
  }
  SECTION("a probability above 1") {
    check_located(load_error(kSavings + "    delay: {values: [0, 3], probs: [1.5, -0.5]}\n", "1.5"),
                  15, "drivers[0].delay.probs[0]", "found '1.5'");
  }
  SECTION("a month that is not whole") {
    check_located(
        load_error(kSavings + "    delay: {values: [0, 2.5], probs: [0.5, 0.5]}\n", "2.5"), 15,
        "drivers[0].delay.values[1]", "2.5 is not a whole number of months");
  }
  SECTION("values and probs of different lengths") {
    check_located(load_error(kSavings + "    delay: {values: [0, 3], probs: [1]}\n", "[1]"), 15,
                  "drivers[0].delay.probs", "found 1 values");
  }
  SECTION("a range that ends before it starts") {
    check_located(load_error(kSavings + "    delay: {from: 4, to: 2}\n", "2}"), 15,
                  "drivers[0].delay.to", "to = 2 is before from = 4");
  }
  SECTION("both a list and a range") {
    check_located(
        load_error(kSavings + "    delay: {from: 0, to: 2, values: [1], probs: [1]}\n", "{from"),
        15, "drivers[0].delay", "both a list (values, probs) and a range");
  }
  SECTION("a Beta sd too large for its mean") {
    check_located(load_error("  - type: savings_plan\n    planned: 0.02\n"
                             "    delivery: {mean: 0.9, sd: 0.3}\n    delay: {from: 0, to: 0}\n"
                             "    practice_cv: 0.3\n",
                             "0.3}"),
                  13, "drivers[0].delivery.sd", "sd 0.3 is too large for a Beta law of mean 0.9");
  }
  SECTION("a Beta law with both sd and concentration") {
    check_located(load_error("  - type: savings_plan\n    planned: 0.02\n"
                             "    delivery: {mean: 0.7, sd: 0.1, concentration: 5}\n"
                             "    delay: {from: 0, to: 0}\n    practice_cv: 0.3\n",
                             "{mean"),
                  13, "drivers[0].delivery", "both sd and concentration given");
  }
  SECTION("an out-of-range probability of a step shock") {
    check_located(load_error("  - type: step_shock\n    probability: 1.2\n"
                             "    month: {from: 3, to: 11}\n"
                             "    magnitude: {mean: 0.02, sd: 0.01}\n    segment_share: 0.3\n",
                             "1.2"),
                  12, "drivers[0].probability", "1.2 is out of range");
  }
  SECTION("a misspelt key of a law") {
    check_located(load_error("  - type: patent_expiry\n    share: {mean: 0.03, concentraton: 50}\n"
                             "    planned_month: 3\n    delay: {from: 0, to: 0}\n"
                             "    depth: {mean: 0.8, sd: 0.1}\n    ramp_months: 4\n",
                             "concentraton"),
                  12, "drivers[0].share.concentraton",
                  "unknown key 'concentraton' (did you mean 'concentration'?)");
  }
}
