using Microsoft.CodeAnalysis;
using Telemetry.Catalog.Model;

namespace Telemetry.Analyzers.Tests;

/// <summary>The catalog descriptors: one per model ID, with the documented severity, a help link and the model's message.</summary>
public sealed class DescriptorsTests
{
    public static TheoryData<string, DiagnosticSeverity> CatalogIds => new()
    {
        { DiagnosticIds.InvalidYaml, DiagnosticSeverity.Error },
        { DiagnosticIds.InvalidStructure, DiagnosticSeverity.Error },
        { DiagnosticIds.InvalidName, DiagnosticSeverity.Error },
        { DiagnosticIds.DuplicateEvent, DiagnosticSeverity.Error },
        { DiagnosticIds.InvalidType, DiagnosticSeverity.Error },
        { DiagnosticIds.UnclassifiedPii, DiagnosticSeverity.Warning },
        { DiagnosticIds.RawPiiWithoutJustification, DiagnosticSeverity.Error },
        { DiagnosticIds.SensitiveEventSampled, DiagnosticSeverity.Error },
        { DiagnosticIds.UnsampledHighFrequency, DiagnosticSeverity.Error },
        { DiagnosticIds.SampledMetric, DiagnosticSeverity.Error },
    };

    [Theory]
    [MemberData(nameof(CatalogIds))]
    public void EachCatalogIdHasADescriptorWithItsDocumentedSeverity(string id, DiagnosticSeverity severity)
    {
        var descriptor = Descriptors.CatalogById[id];

        Assert.Equal(id, descriptor.Id);
        Assert.Equal(severity, descriptor.DefaultSeverity);
        Assert.True(descriptor.IsEnabledByDefault);
        Assert.Equal("{0}", descriptor.MessageFormat.ToString());
        Assert.Equal(DiagnosticIds.HelpLink(id), descriptor.HelpLinkUri);
        Assert.EndsWith("/docs/diagnostics/" + id + ".md", descriptor.HelpLinkUri, StringComparison.Ordinal);
        Assert.False(string.IsNullOrWhiteSpace(descriptor.Title.ToString()));
    }

    [Theory]
    [MemberData(nameof(CatalogIds))]
    public void TheCatalogAnalyzerSupportsEachCatalogId(string id, DiagnosticSeverity severity)
    {
        _ = severity;
        Assert.Contains(new CatalogDiagnosticsAnalyzer().SupportedDiagnostics, d => d.Id == id);
    }
}
