using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Text;

namespace Telemetry.Ingest.Dashboard;

/// <summary>Small HTML and SVG building blocks of the dashboard (every text HTML-encoded; no inline script or style).</summary>
internal static class Html
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static string E(string? text) => WebUtility.HtmlEncode(text ?? "");

    public static string N(long value) => value.ToString("N0", Invariant);

    public static string N(decimal value) => Math.Round(value, 0, MidpointRounding.AwayFromZero).ToString("N0", Invariant);

    public static string D(double value, int decimals = 2) => value.ToString("N" + decimals.ToString(Invariant), Invariant);

    public static string Money(decimal value) => "$" + value.ToString("N2", Invariant);

    public static string Time(long? unixMs) => unixMs is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms).ToString("yyyy-MM-dd HH:mm:ss", Invariant) + " UTC" : "never";

    public static string Bytes(long bytes)
    {
        string[] units = { "B", "KB", "MB", "GB", "TB" };
        double v = bytes;
        var u = 0;
        while (v >= 1024 && u < units.Length - 1)
        {
            v /= 1024;
            u++;
        }

        return (u == 0 ? v.ToString("N0", Invariant) : v.ToString("N1", Invariant)) + " " + units[u];
    }

    public static void Card(StringBuilder b, string label, string value, string? live = null, string? id = null)
    {
        b.Append("<div class=\"card\"><div class=\"label\"").Append(id is null ? "" : " id=\"" + id + "-label\"").Append('>').Append(E(label)).Append("</div><div class=\"value\"");
        if (id is not null) b.Append(" id=\"").Append(id).Append("\" aria-labelledby=\"").Append(id).Append("-label\"");
        if (live is not null) b.Append(" data-live=\"").Append(E(live)).Append('"');
        b.Append('>').Append(E(value)).Append("</div></div>");
    }

    /// <summary>A bar chart of hourly (or other) points; stacked series with their colours; an accessible name and a text summary.</summary>
    public static void BarChart(StringBuilder b, string id, string title, string summary, IReadOnlyList<long[]> points, string[] colours, IReadOnlyList<string> labels)
    {
        const int width = 960, height = 220, left = 56, bottom = 24, top = 10;
        long max = 1;
        foreach (var p in points)
        {
            long sum = 0;
            foreach (var v in p) sum += v;
            max = Math.Max(max, sum);
        }

        var plotW = width - left - 8;
        var plotH = height - bottom - top;
        var bar = points.Count == 0 ? 0 : (double)plotW / points.Count;
        b.Append("<svg class=\"chart\" id=\"").Append(id).Append("\" role=\"img\" aria-labelledby=\"").Append(id).Append("-t ").Append(id).Append("-d\" viewBox=\"0 0 ")
            .Append(width).Append(' ').Append(height).Append("\" width=\"").Append(width).Append("\" height=\"").Append(height).Append("\">")
            .Append("<title id=\"").Append(id).Append("-t\">").Append(E(title)).Append("</title><desc id=\"").Append(id).Append("-d\">").Append(E(summary)).Append("</desc>");
        for (var g = 0; g <= 4; g++)
        {
            var y = top + plotH - plotH * g / 4.0;
            b.Append("<line x1=\"").Append(left).Append("\" x2=\"").Append(width - 8).Append("\" y1=\"").Append(F(y)).Append("\" y2=\"").Append(F(y)).Append("\" stroke=\"#e5e7eb\"/>")
                .Append("<text x=\"").Append(left - 6).Append("\" y=\"").Append(F(y + 4)).Append("\" text-anchor=\"end\" font-size=\"11\" fill=\"#57606a\">").Append(E(Compact(max * g / 4.0))).Append("</text>");
        }

        for (var i = 0; i < points.Count; i++)
        {
            var y = (double)(top + plotH);
            for (var s = 0; s < points[i].Length; s++)
            {
                var v = points[i][s];
                if (v <= 0) continue;
                var h = plotH * (double)v / max;
                y -= h;
                b.Append("<rect x=\"").Append(F(left + i * bar + 0.5)).Append("\" y=\"").Append(F(y)).Append("\" width=\"").Append(F(Math.Max(0.5, bar - 1))).Append("\" height=\"").Append(F(h))
                    .Append("\" fill=\"").Append(colours[s % colours.Length]).Append("\"><title>").Append(E(labels[i] + ": " + N(v))).Append("</title></rect>");
            }
        }

        var step = Math.Max(1, points.Count / 8);
        for (var i = 0; i < points.Count; i += step)
        {
            b.Append("<text x=\"").Append(F(left + i * bar)).Append("\" y=\"").Append(height - 6).Append("\" font-size=\"11\" fill=\"#57606a\">").Append(E(labels[i])).Append("</text>");
        }

        b.Append("</svg>");
    }

    public static string F(double v) => v.ToString("0.##", Invariant);

    private static string Compact(double v) => v >= 1_000_000 ? (v / 1_000_000).ToString("0.#", Invariant) + "M" : v >= 1000 ? (v / 1000).ToString("0.#", Invariant) + "k" : v.ToString("0", Invariant);
}
