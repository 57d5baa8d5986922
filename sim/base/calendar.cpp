#include "rxstress/calendar.hpp"

#include <fmt/format.h>

namespace rxstress {

std::string YearMonth::text() const { return fmt::format("{:04d}-{:02d}", year, month); }

Calendar::Calendar(YearMonth start, int months) : start_(start), months_(months) {
  // A settlement year runs April to March, so a new one starts at every April (and at t = 0).
  for (int t = 0; t < months_; ++t) {
    if (t == 0 || calendar_month(t) == 4) year_first_month_.push_back(t);
    year_of_month_.push_back(static_cast<int>(year_first_month_.size()) - 1);
  }
}

int Calendar::calendar_month(int t) const { return (start_.month - 1 + t) % 12 + 1; }

YearMonth Calendar::year_month(int t) const {
  const int index = start_.year * 12 + start_.month - 1 + t;
  return {index / 12, index % 12 + 1};
}

int Calendar::month_of_fy(int t) const { return (calendar_month(t) + 8) % 12; }

std::string Calendar::year_label(int y) const {
  const int t = year_first_month_[y];
  const int abs_month = start_.year * 12 + (start_.month - 1) + t;
  const int cal_year = abs_month / 12;
  const int fy = (abs_month % 12) >= 3 ? cal_year : cal_year - 1;  // April (index 3) starts a FY
  return fmt::format("{}/{:02d}", fy, (fy + 1) % 100);
}

}  // namespace rxstress
