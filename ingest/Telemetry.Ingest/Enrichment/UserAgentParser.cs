using System;
using System.Collections.Concurrent;

namespace Telemetry.Ingest.Enrichment;

/// <summary>
/// A small User-Agent parser for the enrichment columns (device, OS, browser). No UA database package
/// restores here (UAParser is not in the registry copy), and we need only coarse families, so this covers
/// the major browsers, operating systems, bots and HTTP libraries by token order, the way browser
/// sniffing libraries do (Edge and Opera before Chrome, Chrome before Safari). Results are cached per header value.
/// </summary>
public static class UserAgentParser
{
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<string, UserAgentInfo> Cache = new(StringComparer.Ordinal);

    /// <summary>Parses <paramref name="userAgent"/>.</summary>
    public static UserAgentInfo Parse(string? userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return UserAgentInfo.Unknown;
        if (userAgent.Length > 512) userAgent = userAgent.Substring(0, 512);
        if (Cache.TryGetValue(userAgent, out var cached)) return cached;
        var info = ParseUncached(userAgent);
        if (Cache.Count < CacheLimit) Cache.TryAdd(userAgent, info);
        return info;
    }

    private static UserAgentInfo ParseUncached(string ua)
    {
        var bot = Has(ua, "bot") || Has(ua, "crawler") || Has(ua, "spider") || Has(ua, "slurp") || Has(ua, "headlesschrome");
        var os = Os(ua);
        var browser = Browser(ua);
        string device;
        if (bot) device = "bot";
        else if (Has(ua, "ipad") || Has(ua, "tablet") || (Has(ua, "android") && !Has(ua, "mobile"))) device = "tablet";
        else if (Has(ua, "mobi") || Has(ua, "iphone") || Has(ua, "ipod") || Has(ua, "windows phone")) device = "mobile";
        else if (os is "unknown" || browser.StartsWith(".NET", StringComparison.Ordinal) || browser.StartsWith("curl", StringComparison.Ordinal)) device = "other";
        else device = "desktop";
        return new UserAgentInfo(device, os, browser);
    }

    private static string Os(string ua)
    {
        if (Has(ua, "windows phone")) return "Windows Phone";
        if (Has(ua, "windows")) return "Windows";
        if (Has(ua, "iphone") || Has(ua, "ipad") || Has(ua, "ipod")) return Versioned("iOS", After(ua, "OS "));
        if (Has(ua, "android")) return Versioned("Android", After(ua, "Android "));
        if (Has(ua, "cros")) return "ChromeOS";
        if (Has(ua, "mac os x") || Has(ua, "macintosh")) return "macOS";
        if (Has(ua, "linux") || Has(ua, "x11")) return "Linux";
        return "unknown";
    }

    private static string Browser(string ua)
    {
        if (Has(ua, "edg/") || Has(ua, "edga/") || Has(ua, "edgios/")) return Versioned("Edge", After(ua, "Edg", skipTo: '/'));
        if (Has(ua, "opr/") || Has(ua, "opera")) return Versioned("Opera", After(ua, "OPR/"));
        if (Has(ua, "samsungbrowser/")) return Versioned("Samsung Internet", After(ua, "SamsungBrowser/"));
        if (Has(ua, "firefox/") || Has(ua, "fxios/")) return Versioned("Firefox", After(ua, Has(ua, "fxios/") ? "FxiOS/" : "Firefox/"));
        if (Has(ua, "crios/")) return Versioned("Chrome", After(ua, "CriOS/"));
        if (Has(ua, "chrome/") || Has(ua, "chromium/")) return Versioned("Chrome", After(ua, Has(ua, "chromium/") ? "Chromium/" : "Chrome/"));
        if (Has(ua, "safari/") && Has(ua, "version/")) return Versioned("Safari", After(ua, "Version/"));
        if (Has(ua, "curl/")) return Versioned("curl", After(ua, "curl/"));
        if (Has(ua, "dotnet") || Has(ua, ".net")) return ".NET";
        if (Has(ua, "okhttp")) return "okhttp";
        if (Has(ua, "python")) return "Python";
        if (Has(ua, "node")) return "Node.js";
        return "unknown";
    }

    private static bool Has(string ua, string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);

    private static string Versioned(string name, string? major) => string.IsNullOrEmpty(major) ? name : name + " " + major;

    /// <summary>The digits right after <paramref name="token"/> (the major version).</summary>
    private static string? After(string ua, string token, char? skipTo = null)
    {
        var i = ua.IndexOf(token, StringComparison.OrdinalIgnoreCase);
        if (i < 0) return null;
        i += token.Length;
        if (skipTo is { } s)
        {
            var j = ua.IndexOf(s, i);
            if (j < 0 || j - i > 3) return null;
            i = j + 1;
        }

        var start = i;
        while (i < ua.Length && i - start < 6 && char.IsAsciiDigit(ua[i])) i++;
        if (i == start) return null;
        return ua.Substring(start, i - start);
    }
}
