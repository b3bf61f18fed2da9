using Microsoft.CodeAnalysis;
using Telemetry.Analyzers.Tests.TestSupport;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.Tests;

/// <summary>
/// Diagnostics located in YAML cannot be <c>#pragma</c>-suppressed, so <c>.editorconfig</c>/<c>.globalconfig</c>
/// severities are how users configure them. Run through a real <see cref="AnalyzerConfigSet"/>, as csc does.
/// </summary>
public sealed class CatalogDiagnosticSeverityTests
{
    private const string Path = "/0/catalog/x.yaml";

    private const string UnclassifiedEmail = """
        feature: shop
        events:
          checkout:
            properties:
              email: string
        """;

    private static async Task<Diagnostic> SingleAsync(string yaml, params string[] globalOptions)
    {
        var run = await CompilerHarness.AnalyzeAsync(
            CompilerHarness.Compilation("internal static class Program { }"),
            new[] { new TestAdditionalText(Path, yaml) },
            CompilerHarness.GlobalConfig(new[] { Path }, globalOptions));
        Assert.Empty(run.Exceptions);
        return Assert.Single(run.Diagnostics);
    }

    private static async Task AssertNoneAsync(string yaml, params string[] globalOptions)
    {
        var run = await CompilerHarness.AnalyzeAsync(
            CompilerHarness.Compilation("internal static class Program { }"),
            new[] { new TestAdditionalText(Path, yaml) },
            CompilerHarness.GlobalConfig(new[] { Path }, globalOptions));
        Assert.Empty(run.Exceptions);
        Assert.Empty(run.Diagnostics);
    }

    [Fact]
    public async Task WithoutConfigurationTEL1001IsAWarning()
    {
        var d = await SingleAsync(UnclassifiedEmail);
        Assert.Equal((DiagnosticIds.UnclassifiedPii, DiagnosticSeverity.Warning, false), (d.Id, d.Severity, d.IsWarningAsError));
    }

    [Fact]
    public async Task GlobalConfigRaisesAWarningToAnError()
    {
        var d = await SingleAsync(UnclassifiedEmail, "dotnet_diagnostic.TEL1001.severity = error");
        Assert.Equal((DiagnosticIds.UnclassifiedPii, DiagnosticSeverity.Error), (d.Id, d.Severity));
        Assert.Equal(new FileLinePositionSpan(Path, new(4, 6), new(4, 11)), d.Location.GetLineSpan());
    }

    [Fact]
    public Task GlobalConfigSilencesAWarning() =>
        AssertNoneAsync(UnclassifiedEmail, "dotnet_diagnostic.TEL1001.severity = none");

    [Fact]
    public async Task GlobalConfigLowersAnErrorToAWarning()
    {
        var d = await SingleAsync("feature: Shop\nevents: {}\n", "dotnet_diagnostic.TEL0003.severity = warning");
        Assert.Equal((DiagnosticIds.InvalidName, DiagnosticSeverity.Warning), (d.Id, d.Severity));
    }

    [Fact]
    public Task GlobalConfigSilencesAnError() =>
        AssertNoneAsync("feature: Shop\nevents: {}\n", "dotnet_diagnostic.TEL0003.severity = none");

    [Fact]
    public async Task ConfiguringAnotherIdChangesNothing()
    {
        var d = await SingleAsync(UnclassifiedEmail, "dotnet_diagnostic.TEL1002.severity = none", "dotnet_diagnostic.TEL0003.severity = warning");
        Assert.Equal((DiagnosticIds.UnclassifiedPii, DiagnosticSeverity.Warning), (d.Id, d.Severity));
    }

    [Fact]
    public async Task WarningsAsErrorsRaisesTEL1001AsTelemetryStrictDoes()
    {
        // TelemetryStrict adds the warning IDs to WarningsAsErrors, which reaches the compiler as specific options.
        var compilation = CompilerHarness.Compilation("internal static class Program { }");
        compilation = compilation.WithOptions(compilation.Options.WithSpecificDiagnosticOptions(
            new Dictionary<string, ReportDiagnostic> { [DiagnosticIds.UnclassifiedPii] = ReportDiagnostic.Error }));
        var run = await CompilerHarness.AnalyzeAsync(compilation, new[] { new TestAdditionalText(Path, UnclassifiedEmail) }, CompilerHarness.GlobalConfig(new[] { Path }));
        var d = Assert.Single(run.Diagnostics);
        Assert.Equal((DiagnosticIds.UnclassifiedPii, DiagnosticSeverity.Error), (d.Id, d.Severity));
    }
}
