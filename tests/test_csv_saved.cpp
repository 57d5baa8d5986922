// The practice table as people save it (issue 16): Excel's "CSV UTF-8" (a byte-order mark), CRLF
// line ends, `;` or tab between fields. Every variant of tests/data/practices.csv must load into
// the same practices as the file itself; numbers a spreadsheet formatted ("8,120") are refused
// with a message saying why.
#include <catch2/catch.hpp>
#include <filesystem>
#include <string>

#include "program.hpp"
#include "rxstress/error.hpp"
#include "rxstress/population.hpp"
#include "rxstress/scenario.hpp"

namespace fs = std::filesystem;
using Catch::Matchers::Contains;
using rxstress::CsvDelimiter;
using rxstress::InputError;
using rxstress::Population;
using rxstress::read_population_csv;
using rxstress::testing::ScratchDir;
using rxstress::testing::slurp;

namespace {

const fs::path kPractices = fs::path(RXSTRESS_SOURCE_DIR) / "tests" / "data" / "practices.csv";

// `csv` with every field separator outside quotes replaced by `sep`.
std::string with_separator(const std::string& csv, char sep) {
  std::string out;
  bool quoted = false;
  for (char c : csv) {
    if (c == '"') quoted = !quoted;
    out += !quoted && c == ',' ? sep : c;
  }
  return out;
}

std::string with_crlf(const std::string& csv) {
  std::string out;
  for (char c : csv) out += c == '\n' ? std::string("\r\n") : std::string(1, c);
  return out;
}

void check_same(const Population& a, const Population& b) {
  REQUIRE(a.size() == b.size());
  CHECK(a.id == b.id);
  CHECK(a.name == b.name);
  CHECK(a.list_size == b.list_size);
  CHECK(a.annual_spend == b.annual_spend);
  CHECK(a.generic_share == b.generic_share);
  CHECK(a.neighbourhood == b.neighbourhood);
  CHECK(a.provider == b.provider);
}

InputError csv_error(const fs::path& file, CsvDelimiter d = CsvDelimiter::automatic) {
  try {
    read_population_csv(file.string(), d);
  } catch (const InputError& e) {
    return e;
  }
  FAIL(file.string() << " loaded");
  throw std::logic_error("unreachable");
}

}  // namespace

TEST_CASE("a practice table saved with a BOM, CRLF, ';' or tabs loads like the original",
          "[scenario][csv]") {
  ScratchDir dir("csv");
  const std::string original = slurp(kPractices);
  const Population expected = read_population_csv(kPractices.string());
  REQUIRE(expected.size() == 20);
  const std::string bom = "\xEF\xBB\xBF";
  const std::pair<const char*, std::string> variants[] = {
      {"bom.csv", bom + original},
      {"crlf.csv", with_crlf(original)},
      {"semicolon.csv", with_separator(original, ';')},
      {"tab.csv", with_separator(original, '\t')},
      {"excel-europe.csv", bom + with_crlf(with_separator(original, ';'))}};
  for (const auto& [name, text] : variants) {
    INFO(name);
    REQUIRE(text != original);
    const fs::path p = dir.path() / name;
    std::ofstream(p, std::ios::binary) << text;
    check_same(read_population_csv(p.string()), expected);
  }
  SECTION("population.delimiter names the separator") {
    const fs::path p = dir.path() / "semicolon.csv";
    check_same(read_population_csv(p.string(), CsvDelimiter::semicolon), expected);
    const InputError e = csv_error(p, CsvDelimiter::comma);
    CHECK_THAT(e.what(), Contains("missing column 'id' (the header is one field: is "
                                  "population.delimiter right?)"));
  }
  SECTION("through a scenario") {
    std::string yaml = slurp(fs::path(RXSTRESS_SOURCE_DIR) / "tests" / "data" / "small-csv.yaml");
    const std::string from = "file: practices.csv";
    yaml.replace(yaml.find(from), from.size(), "file: excel-europe.csv\n  delimiter: semicolon");
    std::ofstream(dir.path() / "s.yaml", std::ios::binary) << yaml;
    check_same(rxstress::load_scenario((dir.path() / "s.yaml").string()).population, expected);
  }
}

TEST_CASE("numbers with a thousands separator or a decimal comma are refused", "[scenario][csv]") {
  ScratchDir dir("csv");
  const std::string header =
      "id,name,list_size,annual_spend,generic_share,neighbourhood,provider\n";
  const auto write = [&](const std::string& text) {
    const fs::path p = dir.path() / "p.csv";
    std::ofstream(p, std::ios::binary) << text;
    return p;
  };
  SECTION("a quoted '8,120' in a comma-separated file") {
    const InputError e = csv_error(write(header + "A1,One,\"8,120\",1299200,0.22,N1,P1\n"));
    CHECK(e.where().line == 2);
    CHECK(e.where().column == 8);
    CHECK(e.key_path() == "list_size");
    CHECK_THAT(e.problem(), Contains("found '8,120': a thousands separator or a decimal comma"));
    CHECK_THAT(e.expected(), Contains("no separators (1234.5)"));
  }
  SECTION("a decimal comma in a ';'-separated file") {
    const InputError e =
        csv_error(write(with_separator(header, ';') + "A1;One;8120;1299200;0,22;N1;P1\n"));
    CHECK(e.key_path() == "generic_share");
    CHECK_THAT(e.problem(), Contains("found '0,22': a thousands separator or a decimal comma"));
  }
  SECTION("a plain word is only 'found'") {
    const InputError e = csv_error(write(header + "A1,One,lots,1299200,0.22,N1,P1\n"));
    CHECK(e.problem() == "found 'lots'");
  }
}
