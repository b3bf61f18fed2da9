using System;
using System.Collections.Frozen;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>GA4's naming rules for event and parameter names, checked before sending (GA4 drops what breaks them without an error).</summary>
internal static class Ga4Names
{
    /// <summary>Longest event name.</summary>
    public const int MaxEventNameLength = 40;

    /// <summary>Longest parameter name.</summary>
    public const int MaxParamNameLength = 40;

    /// <summary>Event names GA4 reserves (its own automatically collected events).</summary>
    public static readonly FrozenSet<string> ReservedEventNames = new[]
    {
        "ad_activeview", "ad_click", "ad_exposure", "ad_impression", "ad_query", "ad_reward", "adunit_exposure",
        "app_background", "app_clear_data", "app_exception", "app_install", "app_remove", "app_store_refund",
        "app_store_subscription_cancel", "app_store_subscription_convert", "app_store_subscription_renew",
        "app_update", "app_upgrade", "dynamic_link_app_open", "dynamic_link_app_update", "dynamic_link_first_open",
        "error", "firebase_campaign", "firebase_in_app_message_action", "firebase_in_app_message_dismiss",
        "firebase_in_app_message_impression", "first_open", "first_visit", "in_app_purchase",
        "notification_dismiss", "notification_foreground", "notification_open", "notification_receive",
        "notification_send", "os_update", "screen_view", "session_start", "user_engagement",
    }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Parameter names GA4 reserves.</summary>
    public static readonly FrozenSet<string> ReservedParamNames = new[] { "firebase_conversion" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Prefixes GA4 reserves for event and parameter names.</summary>
    public static readonly IReadOnlyList<string> ReservedPrefixes = new[] { "google_", "ga_", "firebase_" };

    /// <summary>Our catalog name in GA4's alphabet: dots (not allowed in GA4 names) become underscores.</summary>
    public static string EventName(string mapped) => mapped.Replace('.', '_');

    /// <summary>Why <paramref name="name"/> cannot be a GA4 event name, or null.</summary>
    public static string? EventNameProblem(string name)
    {
        if (Shape(name, MaxEventNameLength) is { } shape) return "event name '" + name + "' " + shape;
        if (ReservedEventNames.Contains(name)) return "event name '" + name + "' is reserved by GA4 (rename it with EventName)";
        if (ReservedPrefix(name) is { } prefix) return "event name '" + name + "' starts with the reserved prefix '" + prefix + "' (rename it with EventName)";
        return null;
    }

    /// <summary>Why <paramref name="name"/> cannot be a GA4 parameter name, or null.</summary>
    public static string? ParamNameProblem(string name)
    {
        if (Shape(name, MaxParamNameLength) is { } shape) return "parameter name '" + name + "' " + shape;
        if (ReservedParamNames.Contains(name)) return "parameter name '" + name + "' is reserved by GA4 (rename it with PropertyNames)";
        if (ReservedPrefix(name) is { } prefix) return "parameter name '" + name + "' starts with the reserved prefix '" + prefix + "' (rename it with PropertyNames)";
        return null;
    }

    private static string? Shape(string name, int maxLength)
    {
        if (name.Length == 0) return "is empty";
        if (name.Length > maxLength) return $"is {name.Length} characters, over GA4's {maxLength}";
        if (!IsAsciiLetter(name[0])) return "must start with a letter";
        foreach (var c in name)
        {
            if (!IsAsciiLetter(c) && c is not (>= '0' and <= '9') && c != '_') return $"has '{c}': GA4 allows letters, digits and underscores only";
        }

        return null;
    }

    private static string? ReservedPrefix(string name)
    {
        foreach (var prefix in ReservedPrefixes)
        {
            if (name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) return prefix;
        }

        return null;
    }

    private static bool IsAsciiLetter(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z');
}
