using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Telemetry.Analyzers.CSharp.Tests.TestSupport;
using Telemetry.Analyzers.Lock;
using Telemetry.Analyzers.Usage;
using Telemetry.Catalog.Lock;
using Telemetry.Catalog.Parsing;

namespace Telemetry.Analyzers.CSharp.Tests.Robustness;

/// <summary>
/// The analyzers run on every keystroke in the IDE, so they must never throw (AD0001) on code that is half typed:
/// unfinished calls, lambdas, initializers, attributes, and every prefix of a complete file that uses each feature.
/// </summary>
public class HalfTypedCodeTests
{
    private static readonly ImmutableArray<DiagnosticAnalyzer> Analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(
        new StringNamedTrackAnalyzer(), new PersonalDataFlowAnalyzer(), new HighFrequencyTrackAnalyzer(), new UntrackedEventAnalyzer(), new CatalogLockAnalyzer(), new ConstantConstraintAnalyzer());

    /// <summary>A file that touches every analyzer: string-named calls, personal data, fast contexts, timers, wrappers.</summary>
    private const string Complete = """
        using System;
        using System.Collections.Generic;
        using Telemetry.Events;
        using Telemetry.Runtime;

        static class Legacy { public static void Track(this ITelemetryClient c, string name, object? p = null) { } }

        class View
        {
            [PersonalData(PiiClass.Email)] string _mail = "";
            ITelemetryClient _client = null!;
            System.Threading.Timer? _timer;
            System.Timers.Timer _elapsed = new(50);
            event EventHandler? PointerMoved;

            void Wire(List<int> xs, string email)
            {
                _client.Track("watchlist.add", new { symbol = "BTC/USDT", source = "search" });
                _client.Track("watchlist.remove", new Dictionary<string, object> { ["symbol"] = email });
                PointerMoved += (s, e) => _client.TrackChartZoom(1);
                PointerMoved += OnMoved;
                _timer = new System.Threading.Timer(_ => _client.TrackChartZoom(2), null, 0, TimeSpan.FromMilliseconds(100).Milliseconds);
                _elapsed.Elapsed += (s, e) => _client.TrackWatchlistRemove($"{_mail}");
                foreach (var x in xs) _client.TrackChartZoom(x);
                var local = email?.Trim() ?? _mail;
                _client.TrackWatchlistRemove(local, screenX: xs.Count);
                _ = new WatchlistRemove(email);
            }

            void OnMoved(object? sender, EventArgs e) => _client.TrackChartZoom(3);
            void Update() => _client.TrackWatchlistAdd("BTC/USDT", WatchlistAddSource.Chart, price: 1m);
        }
        """;

    public static TheoryData<string> Fragments => new()
    {
        "class C { void M(ITelemetryClient c) { c.Track( } }",
        "class C { void M(ITelemetryClient c) { c.Track(\"watchlist.add\", new { symbol = } ) } }",
        "class C { void M(ITelemetryClient c) { c.Track(new Dictionary<string, object> { [\"event\"] = } ); } }",
        "class C { void M(ITelemetryClient c) { c.Track(new Dictionary<string, object> { { \"event\", } }); } }",
        "class C { void M(ITelemetryClient c) { c.TrackWatchlistAdd( } }",
        "class C { void M(ITelemetryClient c, string email) { c.TrackWatchlistRemove(email, } }",
        "class C { void M() { new WatchlistRemove( } }",
        "class C { [PersonalData(] string x; void M(ITelemetryClient c) => c.TrackWatchlistRemove(x); }",
        "class C { event System.EventHandler PointerMoved; void M(ITelemetryClient c) { PointerMoved += (s, e) => c.TrackChartZoom( } }",
        "class C { event System.EventHandler PointerMoved; void M(ITelemetryClient c) { PointerMoved += Missing; } }",
        "class C { void M(ITelemetryClient c) { new System.Threading.Timer(_ => c.TrackChartZoom(1), null, 0, ); } }",
        "class C { void M(ITelemetryClient c) { var t = new System.Timers.Timer { Interval = }; t.Elapsed += (s, e) => c.TrackChartZoom(1); } }",
        "class C { void M(ITelemetryClient c) { for (;;) c.TrackChartZoom( } }",
        "class C { void OnPointerMoved( => c.TrackChartZoom(1); }",
        "class C { void M(ITelemetryClient c) { var x = y; c.TrackWatchlistRemove(x); var y = x; } }",
        "class C { void M(ITelemetryClient c) { c.TrackChartZoom(level: ); c.Undefined(\"watchlist.add\"); Track(\"watchlist.add\"); } }",
        "class C { void M(ITelemetryClient c) => c.TrackWatchlistRemove($\"{email\"); }",
        "class C { void M(ITelemetryClient c) { Action a = c.TrackChartZoom; System.Func<int> f = () => { c.TrackChartZoom(1) } } }",
        "using Telemetry.Events; partial class",
        "}}}{{{ c.Track(\"watchlist.add\"",
    };

    [Theory]
    [MemberData(nameof(Fragments))]
    public async Task Analyzers_do_not_throw_on_broken_code(string fragment)
    {
        var (failures, _) = await RunAsync("using System; using System.Collections.Generic; using Telemetry.Events; using Telemetry.Runtime;\n" + fragment);
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    [Fact]
    public async Task Analyzers_do_not_throw_on_any_prefix_of_a_complete_file()
    {
        var failures = new List<string>();
        for (var length = 0; length <= Complete.Length; length += 23)
        {
            failures.AddRange((await RunAsync(Complete.Substring(0, length))).Failures.Select(f => $"prefix {length}: {f}"));
        }

        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures.Take(20)));

        // The complete file really exercises every C# analyzer.
        var (completeFailures, ids) = await RunAsync(Complete);
        Assert.Empty(completeFailures);
        Assert.Equal(new[] { "TEL4001", "TEL4002", "TEL4003", "TEL4004" }, ids.Distinct().OrderBy(i => i, StringComparer.Ordinal));
    }

    [Fact]
    public async Task Analyzers_do_not_throw_on_a_half_typed_catalog_or_lock()
    {
        var catalog = Catalogs.Watchlist.Substring(0, Catalogs.Watchlist.Length / 2) + "\n  broken: [";
        var (failures, _) = await RunAsync(Complete, catalogs: new[] { (TelemetryProject.PathOf("watchlist.yaml"), catalog) }, lockJson: "{ \"format\": 1, \"events\": { \"x\": ");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }

    private static async Task<(List<string> Failures, List<string> Ids)> RunAsync(string source, IReadOnlyList<(string Path, string Text)>? catalogs = null, string? lockJson = null)
    {
        catalogs ??= new[] { (TelemetryProject.PathOf("watchlist.yaml"), Catalogs.Watchlist), (TelemetryProject.PathOf("chart.yaml"), Catalogs.Chart) };
        lockJson ??= CatalogLock.Write(catalogs.SelectMany(c => CatalogParser.Parse(c.Path, c.Text).Events));

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = GeneratedSources.For(catalogs)
            .Select(g => CSharpSyntaxTree.ParseText(g.Text, parse, g.Path))
            .Append(CSharpSyntaxTree.ParseText(source, parse, "/0/Test0.cs"));
        var references = (await TelemetryProject.ReferenceAssemblies.ResolveAsync(LanguageNames.CSharp, default)).AddRange(TelemetryProject.References);
        var compilation = CSharpCompilation.Create("HalfTyped", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));

        var additional = catalogs.Select(c => (AdditionalText)new InMemoryText(c.Path, c.Text)).Append(new InMemoryText(TelemetryProject.LockPath, lockJson)).ToImmutableArray();
        var exceptions = new ConcurrentQueue<string>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(additional, new CatalogOptionsProvider()),
            onAnalyzerException: (ex, analyzer, _) => exceptions.Enqueue($"{analyzer.GetType().Name}: {ex}"),
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync();
        var failures = exceptions.Concat(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString())).ToList();
        return (failures, diagnostics.Select(d => d.Id).ToList());
    }
}
