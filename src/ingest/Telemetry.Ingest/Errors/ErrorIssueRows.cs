using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Errors;

/// <summary>Builds <see cref="ErrorIssue"/>s from the rows <see cref="SqlErrorIssues"/> reads (one place for the merge rules; messages, stacks and breadcrumbs scrubbed).</summary>
internal static class ErrorIssueRows
{
    public const string EventName = Telemetry.Runtime.ErrorCaptured.EventName;

    /// <summary>The per-fingerprint aggregates of the events.</summary>
    public sealed record Aggregate(string Project, string Fingerprint, long Events, long Suppressed, DateTimeOffset FirstSeen, DateTimeOffset LastSeen,
        long Users, long Sessions, string? Versions, DateTimeOffset LastReceived);

    /// <summary>The issue's life cycle row.</summary>
    public sealed record State(DateTimeOffset? ResolvedAt);

    /// <summary>
    /// The grouping key of an <c>error.captured</c> payload: its fingerprint, and the errors the client counted but did not
    /// send (<c>suppressed</c>). False when the payload has no fingerprint. Reads the top level only, skipping the rest.
    /// </summary>
    public static bool TryReadKey(string payload, out string fingerprint, out long suppressed)
    {
        fingerprint = string.Empty;
        suppressed = 0;
        string? found = null;
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(payload));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return false;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("fingerprint"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String) found = reader.GetString();
                }
                else if (reader.ValueTextEquals("suppressed"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var n) && n > 0) suppressed = n;
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
        }
        catch (JsonException)
        {
            return false;
        }

        if (found is not { Length: > 0 }) return false;
        fingerprint = found;
        return true;
    }

    /// <summary>An issue kept by <see cref="Select"/>: its aggregate, status and resolution time.</summary>
    public sealed record Kept(Aggregate Aggregate, string Status, DateTimeOffset? ResolvedAt);

    /// <summary>
    /// The issues the query asks for: status from the life cycle row (resolved when no event arrived after the
    /// resolution), filtered by status, most recently seen first, at most <see cref="ErrorIssueQuery.Limit"/>.
    /// </summary>
    public static List<Kept> Select(IEnumerable<Aggregate> aggregates, IReadOnlyDictionary<(string, string), State> states, ErrorIssueQuery query)
    {
        var result = new List<Kept>();
        foreach (var a in aggregates)
        {
            states.TryGetValue((a.Project, a.Fingerprint), out var state);
            var resolvedAt = state?.ResolvedAt;
            var status = resolvedAt is not null && a.LastReceived <= resolvedAt ? "resolved" : "open";
            if (query.Status is not null && !string.Equals(query.Status, status, StringComparison.Ordinal)) continue;
            result.Add(new Kept(a, status, status == "resolved" ? resolvedAt : null));
        }

        return result.OrderByDescending(k => k.Aggregate.LastSeen).ThenBy(k => k.Aggregate.Fingerprint, StringComparer.Ordinal).Take(Math.Max(1, query.Limit)).ToList();
    }

    /// <summary>The issue, with type, level, message, stack trace and breadcrumbs from its latest event's <paramref name="payload"/> (scrubbed).</summary>
    public static ErrorIssue Build(Kept kept, string? payload)
    {
        var a = kept.Aggregate;
        string? type = null, message = null, level = null, stack = null;
        var crumbs = new List<string>();
        if (payload is not null)
        {
            using var doc = JsonDocument.Parse(payload);
            var root = doc.RootElement;
            type = Str(root, "error_type");
            message = Scrubbed(Str(root, "error_message"));
            level = Str(root, "level");
            stack = Scrubbed(Str(root, "stack_trace"));
            if (root.TryGetProperty("breadcrumbs", out var b) && b.ValueKind == JsonValueKind.Array)
            {
                foreach (var c in b.EnumerateArray())
                {
                    if (c.ValueKind == JsonValueKind.String) crumbs.Add(ErrorScrubbingRules.Scrub(c.GetString()));
                }
            }
        }

        var versions = (a.Versions ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Distinct(StringComparer.Ordinal).OrderBy(v => v, StringComparer.Ordinal).ToList();
        return new ErrorIssue(a.Project, a.Fingerprint, kept.Status, type, message, level, a.Events + a.Suppressed, a.Events, a.FirstSeen, a.LastSeen,
            a.Users, a.Sessions, versions, crumbs, stack, kept.ResolvedAt);
    }

    /// <summary>
    /// The error scrubbing rules again on the way out (the runtime applies them before sending; a client that does not,
    /// or an older rule set, must not put a path, secret or address on an admin page).
    /// </summary>
    private static string? Scrubbed(string? value) => value is null ? null : ErrorScrubbingRules.Scrub(value);

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
