namespace Telemetry.Runtime;

/// <summary>Severity of a captured error (<c>level</c> of <c>error.captured</c>).</summary>
public enum ErrorLevel
{
    /// <summary>Diagnostic detail.</summary>
    Debug,
    /// <summary>Worth knowing, nothing failed.</summary>
    Info,
    /// <summary>Something failed and the app recovered.</summary>
    Warning,
    /// <summary>An operation failed (the default).</summary>
    Error,
    /// <summary>The process cannot continue (unhandled exceptions).</summary>
    Fatal,
}

/// <summary>How an error was captured (<c>mechanism</c> of <c>error.captured</c>).</summary>
public enum ErrorMechanism
{
    /// <summary>The app called <c>CaptureException</c>.</summary>
    Manual,
    /// <summary><see cref="System.AppDomain.UnhandledException"/>: nothing caught it and the process ends.</summary>
    Unhandled,
    /// <summary><see cref="System.Threading.Tasks.TaskScheduler.UnobservedTaskException"/>: a faulted task nobody awaited.</summary>
    UnobservedTask,
    /// <summary>The ASP.NET Core exception handler (<c>TelemetryExceptionHandler</c>).</summary>
    AspNetCore,
    /// <summary>A Blazor error boundary (<c>TelemetryErrorBoundary</c> of the browser package) caught a component's exception.</summary>
    ErrorBoundary,
}
