using System.Globalization;
using System.Text;

namespace SpNet.Bench.Report;

/// <summary>A hand-written grouped bar chart: one panel per transport, groups by message size, one bar per library.</summary>
internal static class SvgChart
{
    private static readonly string[] Colors = ["#1f77b4", "#aec7e8", "#ff7f0e", "#2ca02c", "#9467bd"];

    /// <param name="title">Chart title.</param>
    /// <param name="panels">Per panel: its title and, per size label, the value per series (NaN = not measured).</param>
    /// <param name="series">Series (library) names, in bar order.</param>
    /// <param name="unit">Axis unit.</param>
    public static string Render(string title, IReadOnlyList<(string Title, IReadOnlyList<(string Label, double[] Values)> Groups)> panels, IReadOnlyList<string> series, string unit)
    {
        const int panelWidth = 420, panelHeight = 260, top = 60, left = 70, gap = 40;
        int width = left + panels.Count * (panelWidth + gap);
        int height = top + panelHeight + 90;
        var svg = new StringBuilder();
        svg.Append(Inv($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"sans-serif\" font-size=\"12\">\n"));
        svg.Append(Inv($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n"));
        svg.Append(Inv($"<text x=\"{width / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{Escape(title)}</text>\n"));
        for (int p = 0; p < panels.Count; p++)
        {
            var (panelTitle, groups) = panels[p];
            int x0 = left + p * (panelWidth + gap);
            double max = groups.SelectMany(g => g.Values).Where(v => !double.IsNaN(v)).DefaultIfEmpty(1).Max();
            double scaleMax = NiceCeiling(max);
            svg.Append(Inv($"<text x=\"{x0 + panelWidth / 2}\" y=\"{top - 12}\" text-anchor=\"middle\" font-size=\"14\">{Escape(panelTitle)}</text>\n"));
            for (int t = 0; t <= 4; t++)
            {
                double value = scaleMax * t / 4;
                double y = top + panelHeight - panelHeight * t / 4.0;
                svg.Append(Inv($"<line x1=\"{x0}\" y1=\"{y:F1}\" x2=\"{x0 + panelWidth}\" y2=\"{y:F1}\" stroke=\"#ddd\"/>\n"));
                svg.Append(Inv($"<text x=\"{x0 - 6}\" y=\"{y + 4:F1}\" text-anchor=\"end\">{Short(value)}</text>\n"));
            }
            svg.Append(Inv($"<line x1=\"{x0}\" y1=\"{top}\" x2=\"{x0}\" y2=\"{top + panelHeight}\" stroke=\"#333\"/>\n"));
            double groupWidth = (double)panelWidth / Math.Max(1, groups.Count);
            double barWidth = groupWidth * 0.8 / Math.Max(1, series.Count);
            for (int g = 0; g < groups.Count; g++)
            {
                double gx = x0 + g * groupWidth + groupWidth * 0.1;
                for (int s = 0; s < series.Count; s++)
                {
                    double v = s < groups[g].Values.Length ? groups[g].Values[s] : double.NaN;
                    double bx = gx + s * barWidth;
                    if (double.IsNaN(v))
                    {
                        svg.Append(Inv($"<text x=\"{bx + barWidth / 2:F1}\" y=\"{top + panelHeight - 4}\" text-anchor=\"middle\" font-size=\"9\" fill=\"#999\">n/a</text>\n"));
                        continue;
                    }
                    double h = panelHeight * v / scaleMax;
                    svg.Append(Inv($"<rect x=\"{bx:F1}\" y=\"{top + panelHeight - h:F1}\" width=\"{barWidth - 2:F1}\" height=\"{h:F1}\" fill=\"{Colors[s % Colors.Length]}\"><title>{Escape(series[s])} {Escape(groups[g].Label)}: {Short(v)} {Escape(unit)}</title></rect>\n"));
                }
                svg.Append(Inv($"<text x=\"{gx + groupWidth * 0.4:F1}\" y=\"{top + panelHeight + 18}\" text-anchor=\"middle\">{Escape(groups[g].Label)}</text>\n"));
            }
            svg.Append(Inv($"<line x1=\"{x0}\" y1=\"{top + panelHeight}\" x2=\"{x0 + panelWidth}\" y2=\"{top + panelHeight}\" stroke=\"#333\"/>\n"));
        }
        svg.Append(Inv($"<text x=\"16\" y=\"{top + panelHeight / 2}\" transform=\"rotate(-90 16 {top + panelHeight / 2})\" text-anchor=\"middle\">{Escape(unit)}</text>\n"));
        for (int s = 0; s < series.Count; s++)
        {
            int lx = left + s * 170;
            int ly = top + panelHeight + 45;
            svg.Append(Inv($"<rect x=\"{lx}\" y=\"{ly}\" width=\"12\" height=\"12\" fill=\"{Colors[s % Colors.Length]}\"/>\n"));
            svg.Append(Inv($"<text x=\"{lx + 18}\" y=\"{ly + 11}\">{Escape(series[s])}</text>\n"));
        }
        svg.Append("</svg>\n");
        return svg.ToString();
    }

    private static double NiceCeiling(double value)
    {
        if (value <= 0)
        {
            return 1;
        }
        double magnitude = Math.Pow(10, Math.Floor(Math.Log10(value)));
        foreach (double step in new[] { 1, 2, 2.5, 5, 10 })
        {
            if (step * magnitude >= value)
            {
                return step * magnitude;
            }
        }
        return 10 * magnitude;
    }

    public static string Short(double value) => value switch
    {
        >= 1e6 => (value / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + "M",
        >= 1e3 => (value / 1e3).ToString("0.#", CultureInfo.InvariantCulture) + "k",
        _ => value.ToString("0.#", CultureInfo.InvariantCulture),
    };

    internal static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    internal static string Inv(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
