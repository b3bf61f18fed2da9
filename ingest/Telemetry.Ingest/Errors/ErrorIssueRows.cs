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

    public static List<ErrorIssue> Merge(
        IEnumerable<Aggregate> aggregates,
        IReadOnlyDictionary<(string, string), string> latestPayloads,
        IReadOnlyDictionary<(string, string), State> states,
        ErrorIssueQuery query)
    {
        var result = new List<ErrorIssue>();
        foreach (var a in aggregates)
        {
            states.TryGetValue((a.Project, a.Fingerprint), out var state);
            var resolvedAt = state?.ResolvedAt;
            var status = resolvedAt is not null && a.LastReceived <= resolvedAt ? "resolved" : "open";
            if (query.Status is not null && !string.Equals(query.Status, status, StringComparison.Ordinal)) continue;
            latestPayloads.TryGetValue((a.Project, a.Fingerprint), out var payload);
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
            result.Add(new ErrorIssue(a.Project, a.Fingerprint, status, type, message, level, a.Events + a.Suppressed, a.Events, a.FirstSeen, a.LastSeen,
                a.Users, a.Sessions, versions, crumbs, stack, status == "resolved" ? resolvedAt : null));
        }

        return result.OrderByDescending(i => i.LastSeen).ThenBy(i => i.Fingerprint, StringComparer.Ordinal).Take(Math.Max(1, query.Limit)).ToList();
    }

    /// <summary>
    /// The error scrubbing rules again on the way out (the runtime applies them before sending; a client that does not,
    /// or an older rule set, must not put a path, secret or address on an admin page).
    /// </summary>
    private static string? Scrubbed(string? value) => value is null ? null : ErrorScrubbingRules.Scrub(value);

    private static string? Str(JsonElement root, string name) =>
        root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
