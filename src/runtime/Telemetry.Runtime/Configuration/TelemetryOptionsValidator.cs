using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.Options;

namespace Telemetry.Runtime;

/// <summary>Validates <see cref="TelemetryOptions"/>: its data annotations, its time ranges, then the rules that span several settings.</summary>
internal sealed class TelemetryOptionsValidator : IValidateOptions<TelemetryOptions>
{
    private readonly TelemetryOptionsAnnotationsValidator _annotations = new();

    /// <inheritdoc/>
    public ValidateOptionsResult Validate(string? name, TelemetryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var annotations = _annotations.Validate(name, options);
        if (annotations.Failed && annotations.Failures is not null) failures.AddRange(annotations.Failures);

        CheckRange(failures, nameof(options.FlushInterval), options.FlushInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        CheckRange(failures, nameof(options.DrainInterval), options.DrainInterval, TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(10));
        CheckRange(failures, nameof(options.MaxEventAge), options.MaxEventAge, TimeSpan.FromMinutes(1), TimeSpan.FromDays(365));
        CheckRange(failures, nameof(options.InitialRetryDelay), options.InitialRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromHours(1));
        CheckRange(failures, nameof(options.MaxRetryDelay), options.MaxRetryDelay, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        CheckRange(failures, nameof(options.MaxRetryAfter), options.MaxRetryAfter, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
        CheckRange(failures, nameof(options.SendTimeout), options.SendTimeout, TimeSpan.FromMilliseconds(1), TimeSpan.FromMinutes(10));
        CheckRange(failures, nameof(options.ShutdownTimeout), options.ShutdownTimeout, TimeSpan.Zero, TimeSpan.FromMinutes(10));

        if (!Enum.IsDefined(options.DefaultConsent) || options.DefaultConsent == ConsentState.Unknown)
        {
            failures.Add("DefaultConsent must be Granted (opt-out) or Denied (opt-in).");
        }

        if (options.Durability is null)
        {
            failures.Add("Durability must not be null.");
        }
        else
        {
            for (var tier = EventTier.A; tier <= EventTier.C; tier++)
            {
                if (!Enum.IsDefined(options.Durability[tier])) failures.Add($"Durability.{tier} must be Deferred or WriteThrough (got {(int)options.Durability[tier]}).");
            }
        }

        if (options.MaxRetryDelay < options.InitialRetryDelay)
        {
            failures.Add($"MaxRetryDelay ({options.MaxRetryDelay}) must not be shorter than InitialRetryDelay ({options.InitialRetryDelay}).");
        }

        if (options.MaxBatchBytes < options.MaxEventBytes)
        {
            failures.Add($"MaxBatchBytes ({options.MaxBatchBytes}) must be at least MaxEventBytes ({options.MaxEventBytes}), or a maximal event could never be sent.");
        }

        if (options.MaxQueueBytes < options.MaxEventBytes)
        {
            failures.Add($"MaxQueueBytes ({options.MaxQueueBytes}) must be at least MaxEventBytes ({options.MaxEventBytes}).");
        }

        if (options.StorageDirectory is { } directory && !Path.IsPathFullyQualified(directory))
        {
            failures.Add($"StorageDirectory must be an absolute path (got '{directory}').");
        }

        if (options.Errors is null) failures.Add("Errors must not be null.");
        else options.Errors.Validate(failures);

        if (options.Sampling is null)
        {
            failures.Add("Sampling must not be null.");
        }
        else
        {
            foreach (var pair in options.Sampling)
            {
                var key = pair.Key;
                var rule = pair.Value;
                if (string.IsNullOrWhiteSpace(key))
                {
                    failures.Add("Sampling keys must be event names, 'feature.*' or '*'.");
                    continue;
                }

                if (rule is null)
                {
                    failures.Add($"Sampling['{key}'] must not be null.");
                    continue;
                }

                if (!Enum.IsDefined(rule.Strategy)) failures.Add($"Sampling['{key}'].Strategy {(int)rule.Strategy} is unknown.");
                if (rule.Rate is { } rate && (double.IsNaN(rate) || rate < 0 || rate > 1)) failures.Add($"Sampling['{key}'].Rate must be between 0 and 1 (got {rate}).");
                if (rule.Strategy == SamplingStrategy.Throttled)
                {
                    if (rule.MaxEvents < 1) failures.Add($"Sampling['{key}'].MaxEvents must be at least 1 for a throttled event.");
                    CheckRange(failures, $"Sampling['{key}'].Window", rule.Window, TimeSpan.FromMilliseconds(1), TimeSpan.FromDays(1));
                }
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckRange(List<string> failures, string name, TimeSpan value, TimeSpan min, TimeSpan max)
    {
        if (value < min || value > max) failures.Add($"{name} must be between {min} and {max} (got {value}).");
    }
}
