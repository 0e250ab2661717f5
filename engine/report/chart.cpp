// Charts (see chart.h).
#include "engine/report/chart.h"

#include "engine/export/html.h"
#include "engine/human_number.h"

#include <fmt/format.h>

#include <algorithm>

namespace reckon {

namespace {

constexpr int kLeft = 70, kRight = 10, kTop = 24, kBottom = 34;  // plot margins
constexpr int kPlotW = kChartWidth - kLeft - kRight;
constexpr int kPlotH = kChartHeight - kTop - kBottom;

struct Scale {
  Number lo, hi;
  // The y pixel of v, to a tenth.
  std::string Y(const Number& v) const {
    Number span = hi - lo;
    Number frac = span.is_zero() ? Number::FromInt(1).Div(Number::FromInt(2)).value() : (hi - v).Div(span).value();
    return (Number::FromInt(kTop) + frac * Number::FromInt(kPlotH)).ToFixed(1, RoundingMode::kHalfEven);
  }
};

Scale ScaleOf(const std::vector<ChartSeries>& series, bool with_zero) {
  std::optional<Number> lo, hi;
  if (with_zero) lo = hi = Number();
  for (auto& s : series)
    for (auto& v : s.values) {
      if (!v) continue;
      if (!lo || *v < *lo) lo = *v;
      if (!hi || *v > *hi) hi = *v;
    }
  if (!lo) lo = hi = Number();
  return {*lo, *hi};
}

// The x centre of slot i of n, in whole pixels.
int XOf(size_t i, size_t n) { return kLeft + static_cast<int>((2 * i + 1) * kPlotW / (2 * n)); }

std::string Frame(const std::string& title, const std::vector<std::string>& x, const Scale& sc, std::string (*format)(const Number&),
                  int extra_height) {
  const int h = kChartHeight + extra_height;
  std::string svg = fmt::format(R"(<svg class="chart" role="img" viewBox="0 0 {} {}" width="{}" height="{}">)", kChartWidth, h, kChartWidth, h);
  svg += fmt::format("<title>{}</title>", HtmlEscape(title));
  svg += fmt::format(R"(<text x="{}" y="14" class="ct">{}</text>)", kLeft, HtmlEscape(title));
  svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" class="plot"/>)", kLeft, kTop, kPlotW, kPlotH);
  svg += fmt::format(R"(<text x="{}" y="{}" class="ax" text-anchor="end">{}</text>)", kLeft - 4, kTop + 4, HtmlEscape(format(sc.hi)));
  svg += fmt::format(R"(<text x="{}" y="{}" class="ax" text-anchor="end">{}</text>)", kLeft - 4, kTop + kPlotH, HtmlEscape(format(sc.lo)));
  if (sc.lo < Number() && sc.hi > Number()) {
    std::string y0 = sc.Y(Number());
    svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" class="zero"/>)", kLeft, kLeft + kPlotW, y0, y0);
    svg += fmt::format(R"(<text x="{}" y="{}" class="ax" text-anchor="end">0</text>)", kLeft - 4, y0);
  }
  const size_t step = x.size() > kChartMaxLabels ? (x.size() + kChartMaxLabels - 1) / kChartMaxLabels : 1;
  for (size_t i = 0; i < x.size(); i += step)
    svg += fmt::format(R"(<text x="{}" y="{}" class="ax" text-anchor="middle">{}</text>)", XOf(i, x.size()), kTop + kPlotH + 14,
                       HtmlEscape(x[i]));
  return svg;
}

// The legend under the plot, wrapped into rows of kChartWidth; its height.
struct Legend {
  std::string svg;
  int height = 0;
};

Legend LegendOf(const std::vector<ChartSeries>& series) {
  constexpr int kRow = 14, kChar = 6;
  Legend l;
  int x = 8, row = 0;
  for (auto& s : series) {
    const int w = 20 + kChar * static_cast<int>(std::min<size_t>(s.label.size(), 56));
    if (x > 8 && x + w > kChartWidth) {
      x = 8;
      ++row;
    }
    const int y = kChartHeight - 12 + row * kRow;
    l.svg += fmt::format(R"(<rect x="{}" y="{}" width="10" height="10" fill="{}"/>)", x, y, s.color);
    l.svg += fmt::format(R"(<text x="{}" y="{}" class="ax">{}</text>)", x + 13, y + 9, HtmlEscape(s.label));
    x += w;
  }
  l.height = row * kRow;
  return l;
}

}  // namespace

std::string MoneyAxis(const Number& v) { return GroupThousands(v.ToFixed(2, RoundingMode::kHalfEven)); }
std::string MetricAxis(const Number& v) { return GroupThousands(v.Round(4, RoundingMode::kHalfEven).ToString()); }

std::string LineChart(const std::string& title, const std::vector<std::string>& x, const std::vector<ChartSeries>& series,
                      std::string (*format)(const Number&)) {
  Scale sc = ScaleOf(series, false);
  Legend legend = LegendOf(series);
  std::string svg = Frame(title, x, sc, format, legend.height);
  for (auto& s : series) {
    std::string points;
    for (size_t i = 0; i < s.values.size() && i < x.size(); ++i) {
      if (!s.values[i]) continue;
      points += fmt::format("{}{},{}", points.empty() ? "" : " ", XOf(i, x.size()), sc.Y(*s.values[i]));
    }
    if (points.empty()) continue;
    svg += fmt::format(R"(<polyline fill="none" stroke="{}" stroke-width="2"{} points="{}"/>)", s.color,
                       s.dashed ? R"( stroke-dasharray="5,4")" : "", points);
    if (s.dashed) continue;
    for (size_t i = 0; i < s.values.size() && i < x.size(); ++i)
      if (s.values[i])
        svg += fmt::format(R"(<circle cx="{}" cy="{}" r="3" fill="{}"><title>{} {}: {}</title></circle>)", XOf(i, x.size()),
                           sc.Y(*s.values[i]), s.color, HtmlEscape(s.label), HtmlEscape(x[i]), HtmlEscape(format(*s.values[i])));
  }
  return svg + legend.svg + "</svg>";
}

std::string BarChart(const std::string& title, const std::vector<std::string>& x, const std::vector<ChartSeries>& series,
                     std::string (*format)(const Number&)) {
  Scale sc = ScaleOf(series, true);
  Legend legend = LegendOf(series);
  std::string svg = Frame(title, x, sc, format, legend.height);
  const int slot = x.empty() ? kPlotW : kPlotW / static_cast<int>(x.size());
  const int n = series.empty() ? 1 : static_cast<int>(series.size());
  const int bar = std::max(1, (slot * 4 / 5) / n);
  const std::string y0 = sc.Y(Number());
  for (size_t k = 0; k < series.size(); ++k) {
    auto& s = series[k];
    for (size_t i = 0; i < s.values.size() && i < x.size(); ++i) {
      if (!s.values[i] || s.values[i]->is_zero()) continue;
      const int left = XOf(i, x.size()) - bar * n / 2 + bar * static_cast<int>(k);
      std::string yv = sc.Y(*s.values[i]);
      bool neg = s.values[i]->is_negative();
      Number top = *Number::Parse(neg ? y0 : yv), bottom = *Number::Parse(neg ? yv : y0);
      svg += fmt::format(R"(<rect x="{}" y="{}" width="{}" height="{}" fill="{}"><title>{} {}: {}</title></rect>)", left, top.ToString(), bar,
                         (bottom - top).ToString(), s.color, HtmlEscape(s.label), HtmlEscape(x[i]), HtmlEscape(format(*s.values[i])));
    }
  }
  svg += fmt::format(R"(<line x1="{}" x2="{}" y1="{}" y2="{}" class="zero"/>)", kLeft, kLeft + kPlotW, y0, y0);
  return svg + legend.svg + "</svg>";
}

}  // namespace reckon
