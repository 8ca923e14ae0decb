using System.Text;

namespace SpNet.Bench.Report;

/// <summary>A hand-written line chart with logarithmic axes: one line per library, x a count, y a duration.</summary>
internal static class SvgLineChart
{
    private static readonly string[] Colors = ["#1f77b4", "#aec7e8", "#ff7f0e", "#2ca02c", "#9467bd"];

    /// <param name="title">Chart title.</param>
    /// <param name="xs">The x values (positive), left to right.</param>
    /// <param name="series">Per series: its name and one y value per x (NaN = not measured).</param>
    /// <param name="xUnit">X axis label.</param>
    /// <param name="yUnit">Y axis label.</param>
    public static string Render(string title, IReadOnlyList<double> xs, IReadOnlyList<(string Name, double[] Ys)> series, string xUnit, string yUnit)
    {
        const int width = 760, height = 440, left = 80, right = 190, top = 50, bottom = 60;
        int plotWidth = width - left - right, plotHeight = height - top - bottom;
        double[] ys = [.. series.SelectMany(s => s.Ys).Where(y => !double.IsNaN(y) && y > 0)];
        double yMin = Math.Pow(10, Math.Floor(Math.Log10(ys.DefaultIfEmpty(1).Min())));
        double yMax = Math.Pow(10, Math.Ceiling(Math.Log10(ys.DefaultIfEmpty(10).Max())));
        if (yMax <= yMin)
        {
            yMax = yMin * 10;
        }
        double xMin = xs.Min(), xMax = Math.Max(xs.Max(), xMin * 10);
        double X(double x) => left + plotWidth * (Math.Log10(x) - Math.Log10(xMin)) / (Math.Log10(xMax) - Math.Log10(xMin));
        double Y(double y) => top + plotHeight - plotHeight * (Math.Log10(y) - Math.Log10(yMin)) / (Math.Log10(yMax) - Math.Log10(yMin));

        var svg = new StringBuilder();
        svg.Append(SvgChart.Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(SvgChart.Inv($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(SvgChart.Inv($"<text x=\"{left + plotWidth / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{SvgChart.Escape(title)}</text>\n"));
        for (double y = yMin; y <= yMax * 1.0001; y *= 10)
        {
            svg.Append(SvgChart.Inv($"<line x1=\"{left}\" y1=\"{Y(y):F1}\" x2=\"{left + plotWidth}\" y2=\"{Y(y):F1}\" stroke=\"#ddd\"/>\n"));
            svg.Append(SvgChart.Inv($"<text x=\"{left - 6}\" y=\"{Y(y) + 4:F1}\" text-anchor=\"end\">{SvgChart.Short(y)}</text>\n"));
        }
        foreach (double x in xs)
        {
            svg.Append(SvgChart.Inv($"<line x1=\"{X(x):F1}\" y1=\"{top}\" x2=\"{X(x):F1}\" y2=\"{top + plotHeight}\" stroke=\"#eee\"/>\n"));
            svg.Append(SvgChart.Inv($"<text x=\"{X(x):F1}\" y=\"{top + plotHeight + 18}\" text-anchor=\"middle\">{SvgChart.Short(x)}</text>\n"));
        }
        svg.Append(SvgChart.Inv($"<rect x=\"{left}\" y=\"{top}\" width=\"{plotWidth}\" height=\"{plotHeight}\" fill=\"none\" stroke=\"#333\"/>\n"));
        svg.Append(SvgChart.Inv($"<text x=\"{left + plotWidth / 2}\" y=\"{height - 16}\" text-anchor=\"middle\">{SvgChart.Escape(xUnit)}</text>\n"));
        svg.Append(SvgChart.Inv($"<text x=\"18\" y=\"{top + plotHeight / 2}\" text-anchor=\"middle\" transform=\"rotate(-90 18 {top + plotHeight / 2})\">{SvgChart.Escape(yUnit)}</text>\n"));
        for (int s = 0; s < series.Count; s++)
        {
            string color = Colors[s % Colors.Length];
            var points = new List<string>();
            for (int i = 0; i < xs.Count && i < series[s].Ys.Length; i++)
            {
                double y = series[s].Ys[i];
                if (!double.IsNaN(y) && y > 0)
                {
                    points.Add(SvgChart.Inv($"{X(xs[i]):F1},{Y(y):F1}"));
                    svg.Append(SvgChart.Inv($"<circle cx=\"{X(xs[i]):F1}\" cy=\"{Y(y):F1}\" r=\"3\" fill=\"{color}\"/>\n"));
                }
            }
            if (points.Count > 1)
            {
                svg.Append(SvgChart.Inv($"<polyline points=\"{string.Join(' ', points)}\" fill=\"none\" stroke=\"{color}\" stroke-width=\"2\"/>\n"));
            }
            int ly = top + 10 + s * 20;
            svg.Append(SvgChart.Inv($"<line x1=\"{left + plotWidth + 15}\" y1=\"{ly}\" x2=\"{left + plotWidth + 40}\" y2=\"{ly}\" stroke=\"{color}\" stroke-width=\"3\"/>\n"));
            svg.Append(SvgChart.Inv($"<text x=\"{left + plotWidth + 46}\" y=\"{ly + 4}\">{SvgChart.Escape(series[s].Name)}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }
}
