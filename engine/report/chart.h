// Charts for report.html: inline SVG drawn from exact numbers (no floating
// point: positions are exact fractions rounded to tenths of a pixel).
// Every label is HTML-escaped here.
#pragma once

#include "dsl/number.h"

#include <optional>
#include <string>
#include <vector>

namespace reckon {

inline constexpr int kChartWidth = 390;
inline constexpr int kChartHeight = 170;
inline constexpr int kChartMaxLabels = 12;  // x labels shown; the rest are thinned out

struct ChartSeries {
  std::string label;
  std::vector<std::optional<Number>> values;  // one per x label; nullopt = no value
  std::string color;                           // CSS colour
  bool dashed = false;                         // guarantee lines
};

// A line chart (one polyline per series, points marked); `format` prints a
// value for the axis (min, max).
std::string LineChart(const std::string& title, const std::vector<std::string>& x, const std::vector<ChartSeries>& series,
                      std::string (*format)(const Number&));
// Grouped bars around a zero line, one bar per series and x label.
std::string BarChart(const std::string& title, const std::vector<std::string>& x, const std::vector<ChartSeries>& series,
                     std::string (*format)(const Number&));

// Axis formats: money with thousands separators (2 decimals), a metric
// (at most 4 decimals).
std::string MoneyAxis(const Number& v);
std::string MetricAxis(const Number& v);

}  // namespace reckon
