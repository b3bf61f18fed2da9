using System;
using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace Telemetry.Ingest.Enrichment;

/// <summary>
/// A small User-Agent parser for the enrichment columns (device, OS, browser). No UA database package
/// restores here (UAParser is not in the registry copy), and we need only coarse families, so this covers
/// the major browsers, in-app browsers, operating systems, bots and HTTP libraries (Dalvik, CFNetwork, okhttp) by
/// token order, the way browser sniffing libraries do (Edge and Opera before Chrome, Chrome before Safari).
/// User-Agent client hints (<c>Sec-CH-UA</c>, <c>-Mobile</c>, <c>-Platform</c>, <c>-Platform-Version</c>, <c>-Model</c>)
/// win over the frozen parts of a reduced User-Agent string (Chrome reports Android 10 and Windows NT 10.0 for every
/// version). Results are cached per header combination.
/// </summary>
internal static partial class UserAgentParser
{
    private const int CacheLimit = 10_000;
    private static readonly ConcurrentDictionary<(string, UserAgentClientHints), UserAgentInfo> Cache = new();

    /// <summary>Parses <paramref name="userAgent"/>.</summary>
    public static UserAgentInfo Parse(string? userAgent) => Parse(userAgent, default);

    /// <summary>Parses <paramref name="userAgent"/> with the request's client hints.</summary>
    public static UserAgentInfo Parse(string? userAgent, UserAgentClientHints hints)
    {
        if (string.IsNullOrWhiteSpace(userAgent) && hints.IsEmpty) return UserAgentInfo.Unknown;
        userAgent ??= "";
        if (userAgent.Length > 512) userAgent = userAgent.Substring(0, 512);
        hints = hints.Truncated();
        if (Cache.TryGetValue((userAgent, hints), out var cached)) return cached;
        var info = ParseUncached(userAgent, hints);
        if (Cache.Count < CacheLimit) Cache.TryAdd((userAgent, hints), info);
        return info;
    }

    private static UserAgentInfo ParseUncached(string ua, UserAgentClientHints hints)
    {
        var bot = IsBot(ua);
        var os = hints.Os() ?? Os(ua);
        var browser = hints.Browser() ?? Browser(ua);
        string device;
        if (bot) device = "bot";
        else if (hints.Mobile == "?1") device = "mobile";
        else if (hints.Mobile == "?0" && hints.PlatformName() is { } platform)
        {
            device = platform is "Android" or "iOS" ? "tablet" : platform is "Windows" or "macOS" or "Linux" or "Chrome OS" or "ChromeOS" ? "desktop" : "other";
        }
        else if (Has(ua, "ipad") || Has(ua, "tablet") || TabletModel().IsMatch(ua)) device = "tablet";
        else if (Has(ua, "dalvik/")) device = "mobile"; // Android apps' HttpURLConnection: no "Mobile" token, and phones far outnumber tablets
        else if (Has(ua, "android") && !Has(ua, "mobile")) device = "tablet";
        else if (Has(ua, "mobi") || Has(ua, "iphone") || Has(ua, "ipod") || Has(ua, "windows phone")) device = "mobile";
        else if (Has(ua, "cfnetwork/")) device = Has(ua, "(x86_64)") || Has(ua, "(arm64)") || Has(ua, "macintosh") ? "desktop" : "mobile";
        else if (os is "unknown" || browser.StartsWith(".NET", StringComparison.Ordinal) || browser.StartsWith("curl", StringComparison.Ordinal) || browser == "okhttp") device = "other";
        else device = "desktop";
        return new UserAgentInfo(device, os, browser);
    }

    /// <summary>
    /// Crawlers and link previewers by their own product tokens (Googlebot, bingbot, AhrefsBot, facebookexternalhit, ...),
    /// never by a bare "bot" substring: CUBOT is a phone maker.
    /// </summary>
    private static bool IsBot(string ua) =>
        BotToken().IsMatch(ua.Replace("cubot", "", StringComparison.OrdinalIgnoreCase)) || Has(ua, "headlesschrome") || Has(ua, "facebookexternalhit")
        || Has(ua, "lighthouse") || (Has(ua, "compatible;") && Has(ua, "+http"));

    private static string Os(string ua)
    {
        if (Has(ua, "windows phone")) return "Windows Phone";
        if (Has(ua, "windows")) return "Windows";
        if (Has(ua, "iphone") || Has(ua, "ipad") || Has(ua, "ipod")) return Versioned("iOS", After(ua, "OS "));
        if (Has(ua, "android")) return Versioned("Android", After(ua, "Android "));
        if (Has(ua, "cros ")) return "ChromeOS"; // "CrOS x86_64"; not the "cros" of "Microsoft"
        if (Has(ua, "mac os x") || Has(ua, "macintosh")) return "macOS";
        if (Has(ua, "cfnetwork/") && After(ua, "Darwin/") is { } darwin && int.TryParse(darwin, out var major))
        {
            // Apple's frameworks name the Darwin kernel: iOS N ships Darwin N + 6; macOS apps add their architecture.
            if (Has(ua, "(x86_64)") || Has(ua, "(arm64)")) return "macOS";
            return major > 6 ? "iOS " + (major - 6).ToString(System.Globalization.CultureInfo.InvariantCulture) : "iOS";
        }

        if (Has(ua, "linux") || Has(ua, "x11")) return "Linux";
        return "unknown";
    }

    private static string Browser(string ua)
    {
        // In-app browsers first: they embed a Chrome or Safari UA and add their own token.
        if (Has(ua, "instagram")) return Versioned("Instagram", After(ua, "Instagram "));
        if (Has(ua, "fban/") || Has(ua, "fbav/") || Has(ua, "fb_iab/")) return Versioned("Facebook", After(ua, "FBAV/"));
        if (Has(ua, "micromessenger/")) return Versioned("WeChat", After(ua, "MicroMessenger/"));
        if (Has(ua, " line/")) return Versioned("LINE", After(ua, " Line/"));
        if (Has(ua, "musical_ly") || Has(ua, "bytedancewebview") || Has(ua, "tiktok")) return "TikTok";
        if (Has(ua, "snapchat")) return Versioned("Snapchat", After(ua, "Snapchat/"));
        if (Has(ua, "edg/") || Has(ua, "edga/") || Has(ua, "edgios/") || Has(ua, "edge/")) return Versioned("Edge", After(ua, "Edg", skipTo: '/'));
        if (Has(ua, "opr/") || Has(ua, "opera")) return Versioned("Opera", After(ua, Has(ua, "opr/") ? "OPR/" : "Version/"));
        if (Has(ua, "samsungbrowser/")) return Versioned("Samsung Internet", After(ua, "SamsungBrowser/"));
        if (Has(ua, "yabrowser/")) return Versioned("Yandex", After(ua, "YaBrowser/"));
        if (Has(ua, "firefox/") || Has(ua, "fxios/")) return Versioned("Firefox", After(ua, Has(ua, "fxios/") ? "FxiOS/" : "Firefox/"));
        if (Has(ua, "crios/")) return Versioned("Chrome", After(ua, "CriOS/"));
        if (Has(ua, "chrome/") || Has(ua, "chromium/")) return Versioned("Chrome", After(ua, Has(ua, "chromium/") ? "Chromium/" : "Chrome/"));
        if (Has(ua, "safari/") && Has(ua, "version/")) return Versioned("Safari", After(ua, "Version/"));
        if (Has(ua, "dalvik/")) return "Android app";
        if (Has(ua, "cfnetwork/")) return "CFNetwork app";
        if (Has(ua, "trident/") || Has(ua, "msie ")) return "Internet Explorer";
        if (Has(ua, "curl/")) return Versioned("curl", After(ua, "curl/"));
        if (Has(ua, "okhttp")) return "okhttp";
        if (Has(ua, "dotnet") || Has(ua, ".net")) return ".NET";
        if (Has(ua, "python")) return "Python";
        if (Has(ua, "node")) return "Node.js";
        return "unknown";
    }

    internal static bool Has(string ua, string token) => ua.Contains(token, StringComparison.OrdinalIgnoreCase);

    internal static string Versioned(string name, string? major) => string.IsNullOrEmpty(major) ? name : name + " " + major;

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

    /// <summary>A product token that names a crawler: a word ending in bot, crawler, spider or slurp, followed by a version, separator or the end.</summary>
    [GeneratedRegex(@"(?i)(?<![a-z])[a-z\-]*(bot|crawler|spider|slurp)(?=[/ ;_)\-+]|$)", RegexOptions.CultureInvariant)]
    private static partial Regex BotToken();

    /// <summary>Android tablet model names (Samsung SM-T/SM-X Galaxy Tab, Lenovo TB, Nexus 7/9/10, Pixel Tablet, "Tab", "Pad").</summary>
    [GeneratedRegex(@"(?i)\b(SM-[TXP]\d{3}|Lenovo TB|Nexus (7|9|10)\b|Pixel Tablet|Tab [A-Z0-9]|MediaPad|MatePad|Redmi Pad|Xiaomi Pad|\bPad\b|KFTT|KFOT|Kindle)", RegexOptions.CultureInvariant)]
    private static partial Regex TabletModel();
}
