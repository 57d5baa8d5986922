// Reading the actuals of `rxstress review` (app/review.hpp): the columns of the NHSBSA English
// Prescribing Data and OpenPrescribing practice extracts (practice code, month, actual cost).
#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <unordered_map>

#include "app/review.hpp"
#include "rxstress/error.hpp"
#include "scenario/csv.hpp"
#include "scenario/param_node.hpp"

namespace rxstress {
namespace {

const std::vector<std::string> kPracticeNames{"practice", "practice_code", "row_id"};
const std::vector<std::string> kMonthNames{"month", "year_month", "date"};
const std::vector<std::string> kCostNames{"actual_cost", "cost"};

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The header position of the first of `names` present; an error naming them otherwise.
std::size_t find_column(const std::vector<Field>& header, const std::vector<std::string>& names,
                        const std::string& path) {
  for (const auto& name : names)
    for (std::size_t i = 0; i < header.size(); ++i)
      if (lower(header[i].text) == name) return i;
  std::string list;
  for (const auto& n : names) list += (list.empty() ? "" : ", ") + n;
  throw InputError({path, 1, 1}, names[0], "no column " + names[0], "a header with one of " + list);
}

}  // namespace

bool parse_month(const std::string& text, YearMonth& ym) {
  auto digits = [&](std::size_t from, std::size_t n) {
    if (from + n > text.size()) return -1;
    int v = 0;
    for (std::size_t i = from; i < from + n; ++i) {
      if (!std::isdigit(static_cast<unsigned char>(text[i]))) return -1;
      v = v * 10 + (text[i] - '0');
    }
    return v;
  };
  const bool compact = text.size() == 6;
  const bool dashed = (text.size() == 7 || text.size() == 10) && text[4] == '-' &&
                      (text.size() == 7 || text[7] == '-');
  if (!compact && !dashed) return false;
  ym.year = digits(0, 4);
  ym.month = digits(compact ? 4 : 5, 2);
  if (text.size() == 10 && digits(8, 2) < 1) return false;
  return ym.year > 0 && ym.month >= 1 && ym.month <= 12;
}

Actuals read_actuals(const std::string& path, const std::vector<std::string>& practice_ids,
                     const Calendar& calendar) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError({path, 0, 0}, "", "cannot open the file", "a readable CSV file");
  const std::string line = read_header_line(in, path);
  const char sep = detect_delimiter(line);
  const auto header = split_csv(line, sep);
  const std::size_t pc = find_column(header, kPracticeNames, path);
  const std::size_t mc = find_column(header, kMonthNames, path);
  const std::size_t cc = find_column(header, kCostNames, path);
  std::unordered_map<std::string, std::size_t> practice;
  for (std::size_t i = 0; i < practice_ids.size(); ++i) practice[practice_ids[i]] = i;
  const int T = calendar.months();
  const YearMonth start = calendar.start();
  Actuals a;
  a.cost.assign(practice_ids.size() * T, NAN);
  std::vector<int> line_of(practice_ids.size() * T, 0);
  CsvRows rows(in, path, sep, header.size());
  int row = 1;  // the last data line read
  for (std::vector<Field> f; rows.next(f);) {
    row = rows.row();
    const Field& id = f[pc];
    auto it = practice.find(id.text);
    if (it == practice.end()) {
      const auto guess = did_you_mean(id.text, practice_ids);
      throw InputError(
          {path, row, id.column}, header[pc].text,
          "unknown practice '" + id.text + "'" + (guess ? " (did you mean '" + *guess + "'?)" : ""),
          "a practice code of the results file's practice table");
    }
    YearMonth ym;
    if (!parse_month(f[mc].text, ym))
      throw InputError({path, row, f[mc].column}, header[mc].text, "found '" + f[mc].text + "'",
                       "a month written 2026-06, 2026-06-01 or 202606");
    const int t = (ym.year - start.year) * 12 + (ym.month - start.month);
    if (t < 0 || t >= T) {
      throw InputError({path, row, f[mc].column}, header[mc].text,
                       "month " + ym.text() + " is outside the forecast's horizon",
                       "a month from " + start.text() + " to " + calendar.year_month(T - 1).text());
    }
    const std::size_t cell = it->second * T + t;
    if (line_of[cell] != 0)
      throw InputError({path, row, id.column}, header[pc].text,
                       fmt::format("a second row for practice '{}' in {} (the first is line {})",
                                   id.text, ym.text(), line_of[cell]),
                       "one row per practice and month");
    a.cost[cell] = parse_number(f[cc], path, row, header[cc].text, 0.0, 1e13,
                                "a non-negative actual cost in GBP");
    line_of[cell] = row;
    if (t + 1 > a.months) {
      a.months = t + 1;
      a.through = ym.text();
    }
  }
  if (a.months == 0)
    throw InputError({path, row, 1}, "", "no rows of actual spend",
                     "one row per practice and month");
  for (std::size_t i = 0; i < practice_ids.size(); ++i)
    for (int t = 0; t < a.months; ++t)
      if (line_of[i * T + t] == 0)
        throw InputError(
            {path, row + 1, 1}, "",
            fmt::format("no row for practice '{}' in {}", practice_ids[i],
                        calendar.year_month(t).text()),
            "a row for every practice of the results file and every month up to " + a.through);
  return a;
}

}  // namespace rxstress
