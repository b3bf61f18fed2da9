using System;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// Subscribes to <see cref="AppDomain.UnhandledException"/> (captured as <c>fatal</c>, <c>unhandled</c>, then the
/// pipeline persists its buffers to the offline queue before the process dies, so the next run delivers it) and
/// <see cref="TaskScheduler.UnobservedTaskException"/> (captured as <c>error</c>, <c>unobserved_task</c>). Dispose
/// to unsubscribe. The pipeline installs it from <see cref="TelemetryPipeline.Start"/> when
/// <see cref="ErrorTrackingOptions.CaptureUnhandledExceptions"/> is on.
/// </summary>
public sealed class UnhandledExceptionCapture : IDisposable
{
    private readonly ITelemetryClient _client;
    private readonly Action? _persist;
    private bool _disposed;

    private UnhandledExceptionCapture(ITelemetryClient client, Action? persist)
    {
        _client = client;
        _persist = persist;
        AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
        TaskScheduler.UnobservedTaskException += OnUnobservedTaskException;
    }

    /// <summary>Starts capturing unhandled exceptions into <paramref name="client"/>.</summary>
    public static UnhandledExceptionCapture Install(ITelemetryClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        return new UnhandledExceptionCapture(client, client is TelemetryPipeline p ? p.PersistForCrash : null);
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        AppDomain.CurrentDomain.UnhandledException -= OnUnhandledException;
        TaskScheduler.UnobservedTaskException -= OnUnobservedTaskException;
    }

    internal void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)
    {
        if (e.ExceptionObject is not Exception exception) return;
        try
        {
            _client.CaptureException(exception, ErrorMechanism.Unhandled, handled: false, ErrorLevel.Fatal);
            _persist?.Invoke();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The process is ending; a failure here must not replace the original exception.
        }
    }

    internal void OnUnobservedTaskException(object? sender, UnobservedTaskExceptionEventArgs e)
    {
        try
        {
            _client.CaptureException(e.Exception, ErrorMechanism.UnobservedTask, handled: false, ErrorLevel.Error);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Never throw on the finalizer thread.
        }
    }
}
