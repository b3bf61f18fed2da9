using Microsoft.CodeAnalysis;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>
/// A file is skipped when the build reports an error in it: at the severity the project configures for the diagnostic
/// (<c>&lt;NoWarn&gt;</c>, <c>&lt;WarningsAsErrors&gt;</c>, a <c>.globalconfig</c>), not at its default. Structure errors
/// (TEL0001-TEL0005) always skip the file: its model is incomplete.
/// </summary>
public sealed class ConfiguredSeverityTests
{
    // TEL1002 (an error by default): personal data sent raw without a justification.
    private static readonly CatalogInput RawEmail = CatalogInput.File("contact.yaml", """
        feature: contact
        events:
          sent:
            description: A contact form was sent.
            properties:
              email: { type: string, pii: email, treatment: none, description: Address typed by the user }
        """);

    // TEL0005: an enum without values.
    private static readonly CatalogInput EnumWithoutValues = CatalogInput.File("shape.yaml", """
        feature: shape
        events:
          drawn:
            description: A shape was drawn.
            properties:
              kind: { type: enum }
        """);

    [Fact]
    public void An_error_at_its_default_severity_skips_the_file() =>
        Assert.DoesNotContain("Contact.g.cs", Run(RawEmail, new Dictionary<string, ReportDiagnostic>()).Sources.Keys);

    [Theory]
    [InlineData(ReportDiagnostic.Warn)]
    [InlineData(ReportDiagnostic.Info)]
    [InlineData(ReportDiagnostic.Suppress)]
    public void A_policy_error_the_project_lowers_is_generated(ReportDiagnostic configured)
    {
        var run = Run(RawEmail, new Dictionary<string, ReportDiagnostic> { ["TEL1002"] = configured });

        Assert.Contains("Contact.g.cs", run.Sources.Keys);
        Assert.True(run.CompilationErrors.Count == 0, GeneratorRun.Describe(run.CompilationErrors));
    }

    [Fact]
    public void A_warning_the_project_raises_to_an_error_skips_the_file()
    {
        var warnedOnly = CatalogInput.File("profile.yaml", """
            feature: profile
            events:
              opened:
                description: The profile page was opened.
                properties:
                  user_email: { type: string, description: Address of the user }
            """);

        Assert.Contains("Profile.g.cs", Run(warnedOnly, new Dictionary<string, ReportDiagnostic>()).Sources.Keys);
        Assert.DoesNotContain("Profile.g.cs", Run(warnedOnly, new Dictionary<string, ReportDiagnostic> { ["TEL1001"] = ReportDiagnostic.Error }).Sources.Keys);
    }

    [Fact]
    public void A_structure_error_skips_the_file_whatever_its_configured_severity() =>
        Assert.DoesNotContain("Shape.g.cs", Run(EnumWithoutValues, new Dictionary<string, ReportDiagnostic> { ["TEL0005"] = ReportDiagnostic.Suppress }).Sources.Keys);

    private static GeneratorRun Run(CatalogInput catalog, Dictionary<string, ReportDiagnostic> configured)
    {
        var files = new[] { catalog };
        var texts = files.Select(f => (AdditionalText)new TestAdditionalText(f.Path, f.Text)).ToList();
        var options = GeneratorHarness.CompilationOptions.WithSpecificDiagnosticOptions(
            GeneratorHarness.SuppressedDiagnostics.Concat(configured));
        var compilation = GeneratorHarness.CreateCompilation("namespace Consumer { internal static class Anchor { } }").WithOptions(options);
        var driver = GeneratorHarness.CreateDriver(files, texts).RunGeneratorsAndUpdateCompilation(compilation, out var output, out var diagnostics);
        return new GeneratorRun(driver, compilation, output, diagnostics, texts);
    }
}
