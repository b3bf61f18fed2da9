using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Emit;

namespace Telemetry.Runtime.Tests.Errors;

/// <summary>
/// Grouping must survive rebuilds: the same bug in two builds of an app (lines shifted, lambdas and async methods
/// added before it so the compiler's ordinals change, another generic instantiation, another assembly version) has
/// one fingerprint; a different throw site has another. The two builds are real compilations (Roslyn, in memory,
/// with embedded PDBs so stack traces carry line numbers) loaded into their own load contexts.
/// </summary>
public class FingerprintStabilityTests
{
    private const string BuildA = """
        using System;
        using System.Linq;
        using System.Threading.Tasks;

        namespace ShopApp.Orders
        {
            public sealed class Repository<T>
            {
                public async Task<T> LoadAsync(int id)
                {
                    await Task.Yield();
                    return Parse<T>(id);
                }

                private static TItem Parse<TItem>(int id)
                {
                    var doubled = new[] { 1, 2 }.Select(x => x * id).ToList();
                    Validate(id);
                    return default!;
                }

                private static void Validate(int id)
                {
                    void Check()
                    {
                        if (id > 0) throw new InvalidOperationException("Order " + id + " is invalid");
                    }

                    Check();
                }
            }

            public static class Entry
            {
                public static Task Run(int id) => new Repository<string>().LoadAsync(id);

                public static Task RunOther(int id) => Task.Run(() => { throw new InvalidOperationException("Order " + id + " is invalid"); });
            }
        }
        """;

    // The same code after a refactoring elsewhere in the file: a header comment and blank lines (every line moves),
    // a new async method and new lambdas before the failing ones (state machine and lambda ordinals change), and
    // the repository used with another type argument.
    private const string BuildB = """
        // Copyright header added in build 2.
        // It moves every line below.

        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        namespace ShopApp.Orders
        {
            public sealed class Repository<T>
            {
                private readonly List<int> _seen = new();

                public async Task WarmUpAsync()
                {
                    await Task.Yield();
                    _seen.Add(new[] { 3, 4 }.Where(x => x > 3).Sum());
                }

                public int Count(Func<int, bool> filter) => _seen.Count(x => filter(x));

                public async Task<T> LoadAsync(int id)
                {

                    await Task.Yield();

                    return Parse<T>(id);
                }

                private static TItem Parse<TItem>(int id)
                {
                    var tripled = new[] { 1, 2, 3 }.Select(x => x * 3).Where(x => x > 0).ToList();
                    var doubled = new[] { 1, 2 }.Select(x => x * id).ToList();

                    Validate(id);
                    return default!;
                }

                private static void Validate(int id)
                {
                    void Log() { }
                    void Check()
                    {
                        Log();
                        if (id > 0) throw new InvalidOperationException("Order " + id + " is invalid");
                    }

                    Check();
                }
            }

            public static class Entry
            {
                public static Task Run(int id) => new Repository<int>().LoadAsync(id);

                public static Task RunOther(int id) => Task.Run(() => { throw new InvalidOperationException("Order " + id + " is invalid"); });
            }
        }
        """;

    [Fact]
    public async Task The_same_bug_in_two_builds_with_shifted_lines_and_new_ordinals_has_one_fingerprint()
    {
        var a = await ThrowFrom(BuildA, "1.0.0", "Run", 7);
        var b = await ThrowFrom(BuildB, "2.0.0", "Run", 912);

        // The raw traces really differ (line numbers, compiler ordinals), or this test proves nothing.
        Assert.NotEqual(a.StackTrace, b.StackTrace);
        Assert.Contains(":line", a.StackTrace);
        var options = new ErrorTrackingOptions();
        Assert.Equal(ExceptionReport.ComputeFingerprint(a, options), ExceptionReport.ComputeFingerprint(b, options));
    }

    [Fact]
    public async Task A_different_throw_site_has_a_different_fingerprint()
    {
        var options = new ErrorTrackingOptions();
        var a = await ThrowFrom(BuildA, "1.0.0", "Run", 7);
        var other = await ThrowFrom(BuildA, "1.0.0", "RunOther", 7);
        var otherB = await ThrowFrom(BuildB, "2.0.0", "RunOther", 8);
        Assert.NotEqual(ExceptionReport.ComputeFingerprint(a, options), ExceptionReport.ComputeFingerprint(other, options));
        Assert.Equal(ExceptionReport.ComputeFingerprint(other, options), ExceptionReport.ComputeFingerprint(otherB, options));
    }

    [Fact]
    public async Task The_fingerprint_frames_are_the_apps_own_methods_with_compiler_names_folded()
    {
        var a = await ThrowFrom(BuildA, "1.0.0", "Run", 7);
        var frames = StackFrameNormalizer.Frames(a.StackTrace, 50).Where(f => f.StartsWith("ShopApp.", StringComparison.Ordinal)).ToList();
        Assert.Equal(
            new[] { "ShopApp.Orders.Repository.Validate.Check", "ShopApp.Orders.Repository.Validate", "ShopApp.Orders.Repository.Parse", "ShopApp.Orders.Repository.LoadAsync" },
            frames.Take(4));
    }

    private static async Task<Exception> ThrowFrom(string source, string version, string method, int id)
    {
        var assemblyName = "ShopApp";
        var tree = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From(source, System.Text.Encoding.UTF8), new CSharpParseOptions(LanguageVersion.Latest), path: "/home/builder/src/ShopApp/Orders.cs");
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal) || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => MetadataReference.CreateFromFile(p));
        var versioned = CSharpSyntaxTree.ParseText(Microsoft.CodeAnalysis.Text.SourceText.From($"[assembly: System.Reflection.AssemblyVersion(\"{version}\")]", System.Text.Encoding.UTF8), path: "/home/builder/src/ShopApp/AssemblyInfo.cs");
        var compilation = CSharpCompilation.Create(
            assemblyName,
            new[] { tree, versioned },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Debug, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe, options: new EmitOptions(debugInformationFormat: DebugInformationFormat.Embedded));
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics));
        pe.Position = 0;
        var context = new AssemblyLoadContext("fingerprint-" + version + "-" + Guid.NewGuid().ToString("N"), isCollectible: true);
        try
        {
            var assembly = context.LoadFromStream(pe);
            var entry = assembly.GetType("ShopApp.Orders.Entry", throwOnError: true)!;
            var task = (Task)entry.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!.Invoke(null, new object[] { id })!;
            var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => task);
            return thrown;
        }
        finally
        {
            context.Unload();
        }
    }
}
