using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;

namespace Telemetry.Generators.Tests.TestSupport;

/// <summary>
/// Generated code compiled in memory together with a small driver source, emitted and loaded into its own
/// AssemblyLoadContext. Telemetry.Runtime resolves to the test's own copy (the default context), so the test
/// hands real <see cref="Telemetry.Runtime.InMemoryTelemetryClient"/>s to the generated code.
/// </summary>
internal sealed class GeneratedAssembly
{
    private GeneratedAssembly(Assembly assembly, IReadOnlyDictionary<string, string> sources)
    {
        Assembly = assembly;
        Sources = sources;
    }

    public Assembly Assembly { get; }

    /// <summary>The generated sources, by hint name.</summary>
    public IReadOnlyDictionary<string, string> Sources { get; }

    /// <summary>Generates from <paramref name="catalogs"/>, compiles with <paramref name="driverSource"/> (warnings as errors) and loads the result.</summary>
    public static GeneratedAssembly Build(IEnumerable<CatalogInput> catalogs, string driverSource, string name) => Build(catalogs, driverSource, name, null);

    /// <summary>As <see cref="Build(IEnumerable{CatalogInput}, string, string)"/>, with MSBuild properties (<c>build_property.X</c>) seen by the generator.</summary>
    public static GeneratedAssembly Build(IEnumerable<CatalogInput> catalogs, string driverSource, string name, IReadOnlyDictionary<string, string>? globalOptions)
    {
        var run = GeneratorHarness.Run(catalogs, globalOptions, driverSource);
        if (!run.Diagnostics.IsEmpty) throw new InvalidOperationException("Generator diagnostics:\n" + GeneratorRun.Describe(run.Diagnostics));
        var output = run.Output.WithAssemblyName(name);
        using var stream = new MemoryStream();
        var emit = output.Emit(stream);
        if (!emit.Success)
        {
            throw new InvalidOperationException("Generated code does not compile:\n" + GeneratorRun.Describe(emit.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        stream.Position = 0;
        var context = new AssemblyLoadContext(name, isCollectible: true);
        return new GeneratedAssembly(context.LoadFromStream(stream), run.Sources);
    }

    /// <summary>A static method of the driver as a typed delegate.</summary>
    public TDelegate Method<TDelegate>(string typeName, string methodName)
        where TDelegate : Delegate
    {
        var type = Assembly.GetType(typeName, throwOnError: true)!;
        var method = type.GetMethod(methodName, BindingFlags.Public | BindingFlags.Static)
            ?? throw new MissingMethodException(typeName, methodName);
        return method.CreateDelegate<TDelegate>();
    }
}
