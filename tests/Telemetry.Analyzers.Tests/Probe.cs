using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Telemetry.Analyzers;
namespace Telemetry.Analyzers.Tests;
public class Probe
{
    [Fact]
    public async Task Run()
    {
        var t = new CSharpAnalyzerTest<CatalogDiagnosticsAnalyzer, DefaultVerifier>();
        t.ReferenceAssemblies = ReferenceAssemblies.Net.Net80;
        t.TestState.Sources.Add("class C {}");
        t.TestState.AdditionalFiles.Add(("/0/catalog/x.yaml", "feature: x\nevents:\n  Bad: {}\n"));
        t.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n\n[/0/catalog/x.yaml]\nbuild_metadata.AdditionalFiles.TelemetryCatalog = true\n"));
        await t.RunAsync();
    }
}
