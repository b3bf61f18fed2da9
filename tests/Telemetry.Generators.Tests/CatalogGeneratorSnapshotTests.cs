using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Analyzers;
using Telemetry.Generators.Tests.TestSupport;

namespace Telemetry.Generators.Tests;

/// <summary>
/// The generated code of representative catalogs, compared exactly with the baselines in
/// <c>Snapshots/&lt;case&gt;/</c> through Roslyn's source generator test harness, which also compiles the result
/// (nullable enabled, warnings reported) and fails on any compiler diagnostic.
/// To accept a change in the generated code: <c>TELEMETRY_UPDATE_SNAPSHOTS=1 dotnet test tests/Telemetry.Generators.Tests</c>,
/// then review the baseline diff.
/// </summary>
public sealed class CatalogGeneratorSnapshotTests
{
    public static TheoryData<string> Cases => new(TestCatalogs.SnapshotCases.Keys);

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Generated_code_matches_the_checked_in_baseline_and_compiles_without_diagnostics(string caseName)
    {
        var catalog = TestCatalogs.SnapshotCases[caseName];
        var actual = GeneratorHarness.Run(new[] { catalog }).Sources;
        if (Snapshots.Update) Snapshots.Write(caseName, actual);

        var expected = Snapshots.Read(caseName);
        Assert.True(expected.Count > 0,
            $"No baseline in {Snapshots.Folder(caseName)}; run with {Snapshots.UpdateVariable}=1 to write it, then review and commit it.");

        var test = new GeneratorSnapshotTest { CompilerDiagnostics = CompilerDiagnostics.Warnings };
        test.TestState.AdditionalFiles.Add((catalog.Path, SourceText.From(catalog.Text, Encoding.UTF8)));
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", $"""
            is_global = true

            [{catalog.Path}]
            {CatalogFileFilter.MetadataKey} = true
            """));
        foreach (var (hint, text) in expected)
        {
            test.TestState.GeneratedSources.Add((typeof(Telemetry.Generators.CatalogGenerator), hint, SourceText.From(text, Encoding.UTF8)));
        }

        await test.RunAsync();
    }

    /// <summary>The harness with reference assemblies that need no download: the installed framework plus Telemetry.Runtime.</summary>
    private sealed class GeneratorSnapshotTest : CSharpSourceGeneratorTest<Telemetry.Generators.CatalogGenerator, DefaultVerifier>
    {
        public GeneratorSnapshotTest()
        {
            // No reference assembly package: the framework and runtime come from References, already on disk.
            ReferenceAssemblies = new ReferenceAssemblies("net10.0");
            TestState.AdditionalReferences.AddRange(References.All);
        }

        protected override CompilationOptions CreateCompilationOptions() =>
            ((CSharpCompilationOptions)base.CreateCompilationOptions())
                .WithNullableContextOptions(NullableContextOptions.Enable)
                .WithGeneralDiagnosticOption(ReportDiagnostic.Error)
                .WithSpecificDiagnosticOptions(GeneratorHarness.SuppressedDiagnostics);

        protected override ParseOptions CreateParseOptions() =>
            ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12).WithDocumentationMode(DocumentationMode.Diagnose);
    }
}
