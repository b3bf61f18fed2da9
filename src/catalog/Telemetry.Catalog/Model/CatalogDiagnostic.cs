namespace Telemetry.Catalog.Model;

/// <summary>Severity of a catalog diagnostic (mapped to Roslyn's by the analyzer, printed by the tool).</summary>
public enum CatalogSeverity
{
    /// <summary>Informational.</summary>
    Info,
    /// <summary>Warning (an error under TelemetryStrict).</summary>
    Warning,
    /// <summary>Error: fails the build.</summary>
    Error,
}

/// <summary>A catalog problem, as plain data with its position in the YAML file.</summary>
public sealed record CatalogDiagnostic(string Id, CatalogSeverity Severity, string Message, SourceSpan Location)
{
    /// <summary>A diagnostic at the default severity its id has in <see cref="DiagnosticTable"/>.</summary>
    public CatalogDiagnostic(string id, string message, SourceSpan location)
        : this(id, DiagnosticTable.DefaultSeverity(id), message, location)
    {
    }

    /// <inheritdoc/>
    public override string ToString() =>
        $"{Location.FilePath}({Location.Line},{Location.Column}): {Severity.ToString().ToLowerInvariant()} {Id}: {Message}";
}
