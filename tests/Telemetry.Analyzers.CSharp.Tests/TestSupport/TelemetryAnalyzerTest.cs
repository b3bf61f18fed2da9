using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Telemetry.Generators;

namespace Telemetry.Analyzers.CSharp.Tests.TestSupport;

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> over C# that calls the API the real <see cref="CatalogGenerator"/> generates
/// from the project's catalog files (the framework runs the generator; its output is not compared, the snapshot
/// tests own that).
/// </summary>
internal sealed class TelemetryAnalyzerTest<TAnalyzer> : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public TelemetryAnalyzerTest(TelemetryProject project, params string[] sources)
    {
        ReferenceAssemblies = TelemetryProject.ReferenceAssemblies;
        TestBehaviors |= TestBehaviors.SkipGeneratedSourcesCheck;
        for (var i = 0; i < sources.Length; i++) TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
        project.ApplyTo(TestState);
    }

    protected override IEnumerable<Type> GetSourceGenerators() => new[] { typeof(CatalogGenerator) };

    public static Task VerifyAsync(TelemetryProject project, string source, params DiagnosticResult[] expected)
    {
        var test = new TelemetryAnalyzerTest<TAnalyzer>(project, source);
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync();
    }
}

/// <summary>
/// Runs <typeparamref name="TAnalyzer"/> and <typeparamref name="TCodeFix"/> with the same project set-up before and after
/// the fix. The generated API is added as <c>*.g.cs</c> documents (see <see cref="GeneratedSources"/>), so the code fix
/// sees it in the workspace as it would in the IDE.
/// </summary>
internal sealed class TelemetryCodeFixTest<TAnalyzer, TCodeFix> : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : Microsoft.CodeAnalysis.CodeFixes.CodeFixProvider, new()
{
    public TelemetryCodeFixTest(TelemetryProject project, string source, string? fixedSource)
    {
        ReferenceAssemblies = TelemetryProject.ReferenceAssemblies;
        TestState.Sources.Add(("/0/Test0.cs", source));
        FixedState.Sources.Add(("/0/Test0.cs", fixedSource ?? source));
        foreach (var generated in project.GeneratedSources())
        {
            TestState.Sources.Add(generated);
            FixedState.Sources.Add(generated);
        }

        project.ApplyTo(TestState);
        project.ApplyTo(FixedState);
    }
}
