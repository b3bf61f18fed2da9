using System;
using System.Threading;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// An <see cref="ILoggerProvider"/> that turns <c>ILogger</c> warnings, errors and critical entries into breadcrumbs of
/// the pipeline's <see cref="ErrorTracker"/> (category and formatted message, scrubbed when an error is captured;
/// never the exception or the structured values). <c>AddTelemetry</c> registers it; entries logged before the pipeline
/// exists are not kept.
/// </summary>
public sealed class TelemetryBreadcrumbLoggerProvider : ILoggerProvider
{
    private ErrorTracker? _tracker;

    /// <summary>Creates a provider that writes into <paramref name="tracker"/> (or into the one set later with <see cref="Attach"/>).</summary>
    public TelemetryBreadcrumbLoggerProvider(ErrorTracker? tracker = null) => _tracker = tracker;

    /// <summary>Points the provider at <paramref name="tracker"/>.</summary>
    public void Attach(ErrorTracker tracker) => Volatile.Write(ref _tracker, tracker ?? throw new ArgumentNullException(nameof(tracker)));

    /// <inheritdoc/>
    public ILogger CreateLogger(string categoryName) => new BreadcrumbLogger(this, categoryName ?? string.Empty);

    /// <inheritdoc/>
    public void Dispose()
    {
    }

    private sealed class BreadcrumbLogger(TelemetryBreadcrumbLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel is >= LogLevel.Warning and < LogLevel.None && Volatile.Read(ref provider._tracker) is { Breadcrumbs: not null };

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            string message;
            try
            {
                message = formatter(state, null);
            }
            catch (Exception ex) when (ex is FormatException or InvalidOperationException or ArgumentException)
            {
                message = eventId.Name ?? "(message could not be formatted)";
            }

            if (exception is not null) message += " [" + ExceptionReport.TypeName(exception) + "]";
            Volatile.Read(ref provider._tracker)?.RecordLog(logLevel, category, message);
        }
    }
}
