// Months of the horizon and the NHS financial (settlement) years they fall in.
#pragma once

#include <string>
#include <vector>

namespace rxstress {

struct YearMonth {
  int year = 2026;
  int month = 4;             // 1..12
  std::string text() const;  // "2026-04"
};

class Calendar {
 public:
  Calendar(YearMonth start, int months);

  int months() const { return months_; }
  int years() const { return static_cast<int>(year_first_month_.size()); }
  YearMonth start() const { return start_; }
  int calendar_month(int t) const;                        // 1..12 of month t
  YearMonth year_month(int t) const;                      // the year and month of month t
  int month_of_fy(int t) const;                           // 0 = April .. 11 = March
  int year_of(int t) const { return year_of_month_[t]; }  // settlement year index of month t
  int first_month(int y) const { return year_first_month_[y]; }
  int months_in_year(int y) const {
    const int end = y + 1 < years() ? year_first_month_[y + 1] : months_;
    return end - year_first_month_[y];
  }
  // Whether month t is the last month of its settlement year (or of the horizon).
  bool ends_year(int t) const {
    return t + 1 == months_ || year_of_month_[t + 1] != year_of_month_[t];
  }
  std::string year_label(int y) const;  // "2026/27"

 private:
  YearMonth start_;
  int months_;
  std::vector<int> year_of_month_;
  std::vector<int> year_first_month_;
};

}  // namespace rxstress
