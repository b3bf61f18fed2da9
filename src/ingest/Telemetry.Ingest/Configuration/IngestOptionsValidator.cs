using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.Extensions.Options;

namespace Telemetry.Ingest;

/// <summary>Checks the data annotations of <see cref="IngestOptions"/> (ranges, required values) with code generated at build time.</summary>
[OptionsValidator]
internal sealed partial class IngestOptionsAnnotationsValidator : IValidateOptions<IngestOptions>
{
}

/// <summary>
/// Validates <see cref="IngestOptions"/> when the host starts (<c>ValidateOnStart</c>): every range of the data annotations,
/// then the rules that span several settings. A bad value stops startup with a message naming the option and the allowed
/// range; nothing is clamped silently.
/// </summary>
internal sealed class IngestOptionsValidator : IValidateOptions<IngestOptions>
{
    private readonly IngestOptionsAnnotationsValidator _annotations = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, IngestOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var annotations = _annotations.Validate(name, options);
        if (annotations.Failed && annotations.Failures is not null) failures.AddRange(annotations.Failures);

        if (options.Storage.MaxPendingEvents < options.Storage.MaxEventsPerCommit)
        {
            failures.Add(string.Format(CultureInfo.InvariantCulture,
                "Ingest:Storage:MaxPendingEvents ({0}) must be at least Ingest:Storage:MaxEventsPerCommit ({1}).", options.Storage.MaxPendingEvents, options.Storage.MaxEventsPerCommit));
        }

        if (options.Forwarding.MaxRetrySeconds < options.Forwarding.InitialRetrySeconds)
        {
            failures.Add(string.Format(CultureInfo.InvariantCulture,
                "Ingest:Forwarding:MaxRetrySeconds ({0}) must not be shorter than Ingest:Forwarding:InitialRetrySeconds ({1}).", options.Forwarding.MaxRetrySeconds, options.Forwarding.InitialRetrySeconds));
        }

        foreach (var (eventName, window) in options.AggregationWindowOverrides)
        {
            if (window is < 1 or > 86_400_000)
            {
                failures.Add(string.Format(CultureInfo.InvariantCulture,
                    "Ingest:AggregationWindowOverrides:{0} must be between 1 and 86400000 milliseconds; got {1}.", eventName, window));
            }
        }

        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var project in options.Projects)
        {
            if (project is null) continue;
            if (!string.IsNullOrEmpty(project.WriteKey) && !keys.Add(project.WriteKey))
            {
                failures.Add("Ingest:Projects: two projects share one write key (project '" + project.Name + "'); every project needs its own.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
