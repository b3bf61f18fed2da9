using System;
using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Telemetry.Ingest.Enrichment;

/// <summary>
/// The User-Agent client hints of a request (<c>Sec-CH-UA</c>, <c>Sec-CH-UA-Mobile</c>, <c>Sec-CH-UA-Platform</c>,
/// <c>Sec-CH-UA-Platform-Version</c>, <c>Sec-CH-UA-Model</c>), as Chromium browsers send them. Low-entropy ones come
/// with every request; the others only after the server asks (<c>Accept-CH</c>).
/// </summary>
/// <param name="Brands">Sec-CH-UA, e.g. <c>"Chromium";v="124", "Google Chrome";v="124", "Not-A.Brand";v="99"</c>.</param>
/// <param name="Mobile">Sec-CH-UA-Mobile: <c>?1</c> or <c>?0</c>.</param>
/// <param name="Platform">Sec-CH-UA-Platform, e.g. <c>"Android"</c>.</param>
/// <param name="PlatformVersion">Sec-CH-UA-Platform-Version, e.g. <c>"14.0.0"</c>.</param>
/// <param name="Model">Sec-CH-UA-Model, e.g. <c>"SM-G991B"</c>.</param>
internal readonly record struct UserAgentClientHints(string? Brands, string? Mobile, string? Platform, string? PlatformVersion, string? Model)
{
    /// <summary>True when no hint was sent.</summary>
    public bool IsEmpty => Brands is null && Mobile is null && Platform is null && PlatformVersion is null && Model is null;

    /// <summary>The hints in <paramref name="headers"/> (absent or empty headers are null).</summary>
    public static UserAgentClientHints From(IHeaderDictionary headers)
    {
        ArgumentNullException.ThrowIfNull(headers);
        return new UserAgentClientHints(Value(headers, "Sec-CH-UA"), Value(headers, "Sec-CH-UA-Mobile"), Value(headers, "Sec-CH-UA-Platform"),
            Value(headers, "Sec-CH-UA-Platform-Version"), Value(headers, "Sec-CH-UA-Model"));
    }

    /// <summary>The platform without its quotes (<c>Android</c>, <c>Windows</c>, <c>macOS</c>, ...), if sent.</summary>
    public string? PlatformName() => Unquote(Platform) is { Length: > 0 } p ? p : null;

    internal UserAgentClientHints Truncated() => new(Cut(Brands), Cut(Mobile), Cut(Platform), Cut(PlatformVersion), Cut(Model));

    /// <summary>The OS from the platform hints (Windows 11 is platform version 13 and above), or null.</summary>
    internal string? Os()
    {
        var platform = PlatformName();
        if (platform is null) return null;
        var major = Major(Unquote(PlatformVersion));
        return platform switch
        {
            "Windows" => major is null ? "Windows" : major >= 13 ? "Windows 11" : major > 0 ? "Windows 10" : "Windows",
            "Android" or "iOS" => major is > 0 ? platform + " " + major.Value.ToString(CultureInfo.InvariantCulture) : platform,
            "macOS" => "macOS",
            "Chrome OS" or "Chromium OS" => "ChromeOS",
            "Linux" => "Linux",
            _ => platform,
        };
    }

    /// <summary>The browser from the brand list (the meaningful brand, not Chromium or a GREASE brand), or null.</summary>
    internal string? Browser()
    {
        if (string.IsNullOrEmpty(Brands)) return null;
        string? chromium = null;
        foreach (var part in Brands.Split(','))
        {
            var item = part.Trim();
            var semicolon = item.IndexOf(';', StringComparison.Ordinal);
            if (semicolon < 0) continue;
            var brand = Unquote(item.Substring(0, semicolon).Trim());
            var v = item.IndexOf("v=", semicolon, StringComparison.Ordinal);
            var version = v < 0 ? null : Major(Unquote(item.Substring(v + 2).Trim()));
            var major = version?.ToString(CultureInfo.InvariantCulture);
            if (brand.Contains("Brand", StringComparison.OrdinalIgnoreCase)) continue; // GREASE: "Not-A.Brand", "Not)A;Brand"
            switch (brand)
            {
                case "Chromium":
                    chromium = UserAgentParser.Versioned("Chrome", major);
                    continue;
                case "Google Chrome":
                    return UserAgentParser.Versioned("Chrome", major);
                case "Microsoft Edge":
                    return UserAgentParser.Versioned("Edge", major);
                case "Opera":
                case "Opera GX":
                    return UserAgentParser.Versioned("Opera", major);
                case "Samsung Internet":
                    return UserAgentParser.Versioned("Samsung Internet", major);
                case "YaBrowser":
                case "Yandex":
                    return UserAgentParser.Versioned("Yandex", major);
                default:
                    return UserAgentParser.Versioned(brand, major);
            }
        }

        return chromium;
    }

    private static string? Value(IHeaderDictionary headers, string name) => headers.TryGetValue(name, out var v) && v.Count > 0 && !string.IsNullOrWhiteSpace(v.ToString()) ? v.ToString() : null;

    private static string? Cut(string? value) => value is { Length: > 256 } ? value.Substring(0, 256) : value;

    private static string Unquote(string? value) => (value ?? "").Trim().Trim('"');

    private static int? Major(string value)
    {
        var end = 0;
        while (end < value.Length && end < 6 && char.IsAsciiDigit(value[end])) end++;
        return end == 0 ? null : int.Parse(value.AsSpan(0, end), NumberStyles.None, CultureInfo.InvariantCulture);
    }
}
