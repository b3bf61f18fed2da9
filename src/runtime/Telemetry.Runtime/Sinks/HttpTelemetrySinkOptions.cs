using System;
using System.Collections.Generic;

namespace Telemetry.Runtime;

/// <summary>Options shared by the sinks that post batches over HTTP.</summary>
public abstract class HttpTelemetrySinkOptions : TelemetrySinkOptions
{
    /// <summary>
    /// Longest time one request may take (connect, send, read the answer). A request that runs out of
    /// time maps to <see cref="SinkOutcome.RetryLater"/>. Default 30 seconds.
    /// </summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Events per request (the sink's <see cref="ITelemetrySink.MaxBatchSize"/>), within the provider's limit.</summary>
    public abstract int MaxBatchSize { get; set; }

    /// <summary>Clock for <c>sentAt</c> fields and for HTTP-date <c>Retry-After</c> values.</summary>
    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <inheritdoc/>
    protected override void AddValidationErrors(ICollection<string> errors)
    {
        base.AddValidationErrors(errors);
        if (RequestTimeout <= TimeSpan.Zero && RequestTimeout != System.Threading.Timeout.InfiniteTimeSpan) errors.Add("RequestTimeout must be positive");
        if (Time is null) errors.Add("Time is required");
    }

    /// <summary>
    /// Checks that <paramref name="endpoint"/> is an absolute <c>https</c> address; plain <c>http</c> is
    /// accepted only for loopback hosts (local development and tests), never over a network.
    /// </summary>
    /// <param name="endpoint">The address to check.</param>
    /// <param name="name">The option's name, for the message.</param>
    /// <param name="errors">Collected problems.</param>
    protected static void ValidateEndpoint(Uri? endpoint, string name, ICollection<string> errors)
    {
        if (errors is null) throw new ArgumentNullException(nameof(errors));
        if (endpoint is null)
        {
            errors.Add($"{name} is required");
            return;
        }

        if (!endpoint.IsAbsoluteUri)
        {
            errors.Add($"{name} must be an absolute URI");
            return;
        }

        if (endpoint.Scheme == Uri.UriSchemeHttps) return;
        if (endpoint.Scheme == Uri.UriSchemeHttp && endpoint.IsLoopback) return;
        errors.Add($"{name} must use https (http is allowed only for loopback hosts): {endpoint.GetLeftPart(UriPartial.Authority)}");
    }

    /// <summary>Adds an error when <paramref name="value"/> is null, empty or white space.</summary>
    /// <param name="value">The value to check.</param>
    /// <param name="name">The option's name, for the message.</param>
    /// <param name="errors">Collected problems.</param>
    protected static void RequireText(string? value, string name, ICollection<string> errors)
    {
        if (errors is null) throw new ArgumentNullException(nameof(errors));
        if (string.IsNullOrWhiteSpace(value)) errors.Add($"{name} is required");
    }
}
