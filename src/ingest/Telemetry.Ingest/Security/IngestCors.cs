using System;
using System.Collections.Generic;
using Microsoft.AspNetCore.Cors.Infrastructure;
using Telemetry.Runtime;

namespace Telemetry.Ingest.Security;

/// <summary>The CORS policy of the ingest endpoints, built from <see cref="IngestOptions.Cors"/>.</summary>
internal static class IngestCors
{
    public const string PolicyName = "Telemetry.Ingest.Browsers";

    /// <summary>The allowed origins in the form browsers send (<c>scheme://host[:port]</c>, default ports dropped).</summary>
    /// <exception cref="InvalidOperationException">An entry is not an http(s) origin.</exception>
    public static IReadOnlyList<string> Origins(IngestCorsOptions options)
    {
        var origins = new List<string>();
        foreach (var entry in options.AllowedOrigins)
        {
            var text = entry?.Trim() ?? string.Empty;
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0)
            {
                throw new InvalidOperationException($"Ingest:Cors:AllowedOrigins entry '{entry}' is not an origin: write scheme://host[:port], e.g. https://app.example.com (no path, no wildcard).");
            }

            origins.Add(uri.GetLeftPart(UriPartial.Authority));
        }

        if (options.PreflightMaxAgeSeconds < 0) throw new InvalidOperationException("Ingest:Cors:PreflightMaxAgeSeconds must not be negative.");
        return origins;
    }

    public static void AddPolicy(CorsOptions cors, IngestCorsOptions options)
    {
        var origins = Origins(options);
        cors.AddPolicy(PolicyName, policy => policy
            .WithOrigins([.. origins])
            .WithMethods("POST")
            .WithHeaders("Authorization", "Content-Type", "Content-Encoding")
            .WithExposedHeaders("Retry-After", IngestSink.AggregationWindowOverrideHeader)
            .SetPreflightMaxAge(TimeSpan.FromSeconds(options.PreflightMaxAgeSeconds)));
    }
}
