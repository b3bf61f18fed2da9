using System.Collections.Generic;
using System.Linq;
using Telemetry.Catalog.Model;
using Telemetry.Catalog.Tool.Shared;

namespace Telemetry.Catalog.Tool.Docs;

/// <summary>The sentences the docs say about an event's sampling, lifecycle, privacy and frequency; one wording for every page.</summary>
internal static class EventFacts
{
    public static string TierText(EventTier tier) => tier switch
    {
        EventTier.A => "A (core funnel event)",
        EventTier.B => "B (secondary event)",
        _ => "C (future or planned event)",
    };

    public static string Lifecycle(EventSpec e) => e.Status switch
    {
        EventStatus.Planned => $"planned: designed but not shipped; the generated API is [Experimental] until it ships. Schema version {e.Version}",
        EventStatus.Deprecated => $"deprecated: being retired; the generated API is [Obsolete]. Schema version {e.Version}",
        _ => $"active, schema version {e.Version}",
    };

    /// <summary>Long form for the event's fact table.</summary>
    public static string Sampling(EventSpec e)
    {
        if (e.LocalOnly)
        {
            var fullStream = e.Aggregate?.FullStreamPercent ?? 0;
            return fullStream > 0
                ? $"local only: never sent as itself, except by the {CatalogWords.PercentOf(fullStream)} of users (chosen deterministically per user) who also send the raw stream"
                : "local only: never sent as itself";
        }

        if (e.IsAggregate) return "every user (100 %): one event per window and group";
        return e.Sampling >= 1
            ? "every user (100 %)"
            : $"{CatalogWords.Percent(e.Sampling)} of users, chosen deterministically per user (`user_bucket`), so a sampled user's funnel stays complete; scale counts up by `1 / sampling_rate`";
    }

    /// <summary>Short form for summary tables.</summary>
    public static string SamplingShort(EventSpec e)
    {
        if (e.LocalOnly)
        {
            var fullStream = e.Aggregate?.FullStreamPercent ?? 0;
            return fullStream > 0 ? $"local only ({CatalogWords.PercentOf(fullStream)} full stream)" : "local only";
        }

        return CatalogWords.Percent(e.Sampling);
    }

    public static string Sensitivity(Sensitivity s) => s switch
    {
        Model.Sensitivity.Financial => "financial: orders and trades; tracked for every user, never sampled",
        Model.Sensitivity.Session => "session: session data; tracked for every user, never sampled",
        _ => "none",
    };

    public static string Idempotency(EventSpec e) => e.Idempotent
        ? "idempotent: may be delivered more than once; downstream drops duplicates by `event_id`"
        : "not idempotent: each delivered event counts as one occurrence";

    public static string Frequency(EventSpec e)
    {
        if (e.Frequency != Model.Frequency.High) return "normal (at most about once a second per user)";
        var handled = new List<string>();
        if (e.Aggregate is not null) handled.Add("aggregated");
        if (e.LocalOnly) handled.Add("local only");
        if (!e.LocalOnly && e.Sampling <= 0.01) handled.Add($"sampled at {CatalogWords.Percent(e.Sampling)}");
        return "high (more than once a second per user)" + (handled.Count > 0 ? ": " + string.Join(", ", handled) : string.Empty);
    }

    /// <summary>The aggregation sentence of a source event; <paramref name="link"/> renders the derived event's name.</summary>
    public static string Aggregation(AggregateSpec a, string link)
    {
        var parts = new List<string>
        {
            $"into {link} every {CatalogWords.Window(a.WindowMs)} ({a.WindowMs} ms)" +
            (a.GroupBy.IsEmpty ? string.Empty : ", one event per " + string.Join(", ", a.GroupBy.Select(Markdown.Code))),
        };
        if (!a.Stats.IsEmpty)
        {
            parts.Add("stats " + string.Join("; ", a.Stats.Select(s => Markdown.Code(s.Property) + ": " + string.Join(", ", s.Kinds.Select(CatalogWords.Stat)))));
        }

        if (a.Heatmap is { } h)
        {
            parts.Add($"heatmap {h.Columns} × {h.Rows} cells over {Markdown.Code(h.X)}/{Markdown.Code(h.Y)} ({h.Width} × {h.Height} px)");
        }

        if (a.FullStreamPercent > 0) parts.Add($"{CatalogWords.PercentOf(a.FullStreamPercent)} of users also send the raw stream");
        return string.Join("; ", parts);
    }

    public static string Pii(PropertySpec p)
    {
        if (p.Pii is not { } pii) return "–";
        var what = CatalogWords.PiiClass(pii);
        return p.Treatment switch
        {
            PiiTreatment.Drop => $"{what}: dropped, never leaves the process",
            PiiTreatment.Redact => $"{what}: redacted, sent as `{ExamplePayload.RedactedMarker}`",
            PiiTreatment.Hash => $"{what}: hashed, sent as a keyed HMAC-SHA256 (64 hex digits)",
            PiiTreatment.Length => $"{what}: length only, sent as {Markdown.Code(p.WireName)} (integer)",
            _ => $"{what}: sent raw. Justification: {p.Justification}",
        };
    }

    public static string Constraints(PropertySpec p)
    {
        var parts = new List<string>();
        var isArray = p.Type == PropertyType.Array;
        var itemType = isArray ? p.ItemType ?? PropertyType.String : p.Type;
        var prefix = isArray ? "items " : string.Empty;
        if (!p.EnumValues.IsEmpty) parts.Add(prefix + "one of " + string.Join(", ", p.EnumValues.Select(Markdown.Code)));
        var unit = itemType == PropertyType.Duration ? " ms" : string.Empty;
        if (p.Min is { } min && p.Max is { } max) parts.Add($"{prefix}{CatalogWords.Number(min)} to {CatalogWords.Number(max)}{unit}");
        else if (p.Min is { } lo) parts.Add($"{prefix}≥ {CatalogWords.Number(lo)}{unit}");
        else if (p.Max is { } hi) parts.Add($"{prefix}≤ {CatalogWords.Number(hi)}{unit}");
        if (p.MaxLength is { } n) parts.Add($"{prefix}at most {n} characters");
        if (p.Pattern is not null) parts.Add(prefix + "matches " + Markdown.Code(p.Pattern));
        if (p.MinItems is { } minItems && p.MaxItems is { } maxItems) parts.Add($"{minItems} to {maxItems} items");
        else if (p.MinItems is { } atLeast) parts.Add($"at least {atLeast} items");
        else if (p.MaxItems is { } atMost) parts.Add($"at most {atMost} items");
        if (p.UniqueItems) parts.Add("distinct items");
        if (p.OnViolation == ConstraintAction.Clamp) parts.Add("out-of-range values clamped");
        return parts.Count == 0 ? "–" : string.Join("; ", parts);
    }
}
