using System.Text;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Telemetry.Analyzers.Tests.TestSupport;
using static Telemetry.Analyzers.Tests.TestSupport.CatalogAnalyzerTest;

namespace Telemetry.Analyzers.Tests;

/// <summary>
/// Broken catalogs run through the analyzer (not just the parser): each diagnostic's ID and 1-based
/// line/column as the compiler reports them, including BOMs, tabs, CRLF and lone CR line endings,
/// non-BMP characters and files whose last line has no newline.
/// </summary>
public sealed class CatalogDiagnosticPositionTests
{
    /// <summary>A broken catalog and what it must report: "TEL0002@4:15" = id at line 4, column 15.</summary>
    private sealed record Case(string Yaml, params string[] Expected);

    private static readonly Dictionary<string, Case> Cases = new()
    {
        // TEL0001: YAML that does not parse.
        ["unclosed '[' is reported at the bracket"] = new("feature: shop\nevents: [a, b\n", "TEL0001@2:9"),
        ["unclosed '[' on a last line without newline"] = new("feature: shop\nevents: [a, b", "TEL0001@2:9"),
        ["unclosed '{' is reported at the brace, not where parsing gave up"] = new("feature: shop\nevents:\n  checkout: { description: a\n  other: {}\n", "TEL0001@3:13"),
        ["unterminated quote is reported at the quote"] = new("feature: shop\nevents:\n  checkout:\n    description: \"unterminated\n", "TEL0001@4:18"),
        ["unterminated quote with CRLF"] = new("feature: shop\r\nevents:\r\n  checkout:\r\n    description: \"unterminated\r\n", "TEL0001@4:18"),
        ["tab as indentation is reported at the tab"] = new("feature: shop\nevents:\n\tcheckout: {}\n", "TEL0001@3:1"),
        ["tab after spaces in indentation is reported at the tab"] = new("feature: shop\nevents:\n  checkout:\n  \tdescription: x\n", "TEL0001@4:3"),
        ["second document is reported at its marker"] = new("---\nfeature: a\n---\nfeature: b\n", "TEL0001@3:1"),
        ["alias without anchor is reported at the alias"] = new("feature: *nope\nevents: {}\n", "TEL0001@1:10"),
        ["NUL character is reported where it stands"] = new("feature: shop\nevents:\n  check\0out: {}\n", "TEL0001@3:8"),
        ["control character in a value is reported where it stands"] = new("feature: shop\nevents:\n  checkout:\n    description: ring\abell\n", "TEL0001@4:22"),
        ["nesting deeper than 64 levels is reported at the 65th level"] = new("feature: shop\nevents: " + new string('[', 70) + new string(']', 70) + "\n", "TEL0001@2:73"),

        // TEL0002: structure.
        ["empty file"] = new(string.Empty, "TEL0002@1:1"),
        ["comment-only file"] = new("# nothing here\n", "TEL0002@1:1"),
        ["root is a list"] = new("- a\n- b\n", "TEL0002@1:1"),
        ["missing feature is reported at the root"] = new("events:\n  checkout: {}\n", "TEL0002@1:1"),
        ["misspelt top-level key"] = new("feature: shop\nevent:\n  checkout: {}\n", "TEL0002@1:1", "TEL0002@2:1"),
        ["events is a list"] = new("feature: shop\nevents: [a]\n", "TEL0002@2:9"),
        ["event without definition is reported at its key"] = new("feature: shop\nevents:\n  checkout:\n", "TEL0002@3:3"),
        ["wrongly typed event facts are each reported at their value"] = new(
            "feature: shop\nevents:\n  checkout:\n    sampling: often\n    idempotent: yes\n    version: 1.5\n    tier: D\n    tier: A\n",
            "TEL0002@4:15", "TEL0002@5:17", "TEL0002@6:14", "TEL0002@7:11", "TEL0002@8:5"),
        ["property without type and unknown key in a flow mapping"] = new(
            "feature: shop\nevents:\n  checkout:\n    properties:\n      total: {}\n      count: { type: int32, maxlength: 3 }\n",
            "TEL0002@5:7", "TEL0002@6:29"),
        ["quoted scalars are located at their opening quote"] = new("feature: shop\nevents:\n  \"checkout\":\n    'tier': \"D\"\n", "TEL0002@4:13"),
        ["number too large for a double"] = new("feature: shop\nevents:\n  checkout:\n    properties:\n      huge: { type: double, min: 1e309 }\n", "TEL0002@5:34"),

        // TEL0003: names.
        ["uppercase feature"] = new("feature: Shop\nevents: {}\n", "TEL0003@1:10"),
        ["bad event, property and enum value names"] = new(
            "feature: shop\nevents:\n  Checkout: {}\n  check-out: {}\n  ok:\n    properties:\n      itemCount: int32\n      source: { type: enum, values: [Search, ok] }\n      event_id: string\n      telemetry: string\n",
            "TEL0003@3:3", "TEL0003@4:3", "TEL0003@7:7", "TEL0003@8:38", "TEL0003@9:7", "TEL0003@10:7"),
        ["two events with the same C# name"] = new("feature: shop\nevents:\n  add_item: {}\n  add__item: {}\n", "TEL0003@4:3"),

        // TEL0004: duplicates.
        ["same event by short and full name"] = new("feature: shop\nevents:\n  checkout:\n    description: a\n  shop.checkout:\n    description: b\n", "TEL0004@5:3"),

        // TEL0005: types and constraints.
        ["unknown type, missing enum values, impossible constraints"] = new(
            "feature: shop\nevents:\n  checkout:\n    sampling: 1.5\n    properties:\n      a: { type: strin }\n      b: { type: enum }\n      c: { type: int32, min: 5, max: 1 }\n      d: { type: int32, max_length: 3 }\n      e: { type: string, pattern: \"([\" }\n",
            "TEL0005@4:15", "TEL0005@6:18", "TEL0005@7:7", "TEL0005@8:25", "TEL0005@9:25", "TEL0005@10:35"),
        ["invalid pattern and aggregation window"] = new(
            "feature: shop\nevents:\n  checkout:\n    properties:\n      flow: { type: string, pattern: \"(\" }\n      w: { type: int32 }\n    aggregate: { into: agg, window_ms: 10 }\n",
            "TEL0005@5:38", "TEL0005@7:40"),
        ["huge bounds: 1e308 above -1e308, 1e308 for an int32"] = new(
            "feature: shop\nevents:\n  checkout:\n    properties:\n      price: { type: double, min: 1e308, max: -1e308 }\n      big: { type: int32, max: 1e308 }\n",
            "TEL0005@5:30", "TEL0005@6:27"),

        // Privacy and cost.
        ["PII-looking names and examples, raw PII"] = new(
            "feature: shop\nevents:\n  checkout:\n    properties:\n      email: string\n      contact: { type: string, example: \"jane@example.com\" }\n      phone: { type: string, pii: phone, treatment: none }\n      ip: { type: string, pii: ip_address, treatment: none, justification: Fraud checks need the raw address. }\n",
            "TEL1001@5:7", "TEL1001@6:7", "TEL1002@7:7"),
        ["sampled financial event"] = new("feature: shop\nevents:\n  checkout:\n    sensitivity: financial\n    sampling: 0.5\n", "TEL1003@5:15"),
        ["sampled financial event through defaults is reported at the default"] = new(
            "feature: shop\ndefaults:\n  sensitivity: financial\n  sampling: 0.5\nevents:\n  checkout: {}\n", "TEL1003@4:13"),
        ["unsampled high-frequency event"] = new("feature: shop\nevents:\n  hover:\n    frequency: high\n", "TEL2001@3:3"),
        ["sampled metric"] = new("feature: shop\nmetrics:\n  shop.latency:\n    kind: histogram\n    sampling: 0.5\n", "TEL2002@5:5"),

        // Encodings, line endings, tabs, last lines.
        ["BOM: columns on line 1 are counted without it"] = new("\uFEFFfeature: Shop\nevents: {}\n", "TEL0003@1:10"),
        ["BOM and CRLF"] = new("\uFEFFdescription: [x]\r\nfeature: shop\r\nevents:\r\n  checkout:\r\n    tier: D\r\n", "TEL0002@1:14", "TEL0002@5:11"),
        ["CRLF line endings"] = new("feature: shop\r\nevents:\r\n  checkout:\r\n    description: ok\r\n    sampling: 2\r\n", "TEL0005@5:15"),
        ["lone CR line endings"] = new("feature: shop\revents:\r  checkout:\r    description: ok\r    sampling: 2\r", "TEL0005@5:15"),
        ["mixed LF, CRLF and CR line endings"] = new("feature: shop\nevents:\r\n  checkout:\r    description: ok\n    sampling: 2\r\n", "TEL0005@5:15"),
        ["NEL, LS and PS end lines for YamlDotNet and Roslyn alike"] = new("feature: shop\u2028events:\u0085  checkout:\u2029    sampling: 2\n", "TEL0005@4:15"),
        ["disallowed character after a line separator is on the next line"] = new("feature: shop\nevents:\u2028  check\0out: {}\n", "TEL0001@3:8"),
        ["tab indentation with lone CR line endings is reported at the tab"] = new("feature: shop\revents:\r  checkout:\r\tdescription: x\r", "TEL0001@4:1"),
        ["tab indentation with CRLF line endings is reported at the tab"] = new("feature: shop\r\nevents:\r\n  checkout:\r\n  \tdescription: x\r\n", "TEL0001@4:3"),
        ["tab between key and value"] = new("feature: shop\nevents:\n  checkout:\n    sampling:\t2\n", "TEL0005@4:15"),
        ["tabs in comments and a flow mapping count as one column"] = new(
            "feature: shop\nevents:\n  checkout: #\tnote\n    description: ok\t# trailing\tcomment\n  other: { description: \"a\tb\",\ttier: D }\n",
            "TEL0002@5:38"),
        ["last line without newline"] = new("feature: shop\nevents:\n  checkout:\n    sampling: 2", "TEL0005@4:15"),
        ["last line without newline, error is the last character"] = new("feature: shop\nevents:\n  checkout:\n    tier: D", "TEL0002@4:11"),
        ["BOM, CRLF and no final newline"] = new("\uFEFFfeature: shop\r\nevents:\r\n  checkout:\r\n    tier: D", "TEL0002@4:11"),
        ["accented and BMP symbols count one column each"] = new("feature: shop\nevents:\n  checkout: { description: \"café ☕ ü\", tier: D }\n", "TEL0002@3:46"),
        ["characters outside the BMP count two columns (UTF-16), as Roslyn counts them"] = new("feature: shop\nevents:\n  checkout: { description: \"😀😀\", tier: D }\n", "TEL0002@3:42"),
        ["error after a folded block scalar"] = new("feature: shop\nevents:\n  checkout:\n    description: >\n      A folded\n      description.\n    tier: D\n", "TEL0002@7:11"),
        ["self-referencing alias"] = new("feature: shop\nevents:\n  checkout:\n    properties: &p\n      self: *p\n", "TEL0002@5:7", "TEL0002@5:7"),
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Fact]
    public void TheTableHasAtLeastThirtyBrokenCatalogs() => Assert.True(Cases.Count >= 30, $"{Cases.Count} cases");

    [Theory]
    [MemberData(nameof(CaseNames))]
    public Task AnalyzerReportsEachDiagnosticAtItsLineAndColumn(string name)
    {
        var c = Cases[name];

        // A BOM reaches the analyzer as the compiler reads the file: decoded away, not as U+FEFF.
        var text = c.Yaml.StartsWith('\uFEFF') ? FromFileBytes(c.Yaml.Substring(1), bom: true) : SourceText.From(c.Yaml);
        return new CatalogAnalyzerTest()
            .WithCatalog("x.yaml", text)
            .Expect(c.Expected.Select(Parse).ToArray())
            .RunAsync();
    }

    [Fact]
    public async Task BomKeptAsACharacterStillLocatesTheRightText()
    {
        // Hosts that build the text from a string keep U+FEFF as character 0 of line 1; the parser does not count it.
        const string yaml = "\uFEFFdescription: [x]\r\nfeature: shop\r\nevents:\r\n  checkout:\r\n    tier: D";
        var text = SourceText.From(yaml);
        var run = await CompilerHarness.AnalyzeAsync(
            CompilerHarness.Compilation("internal static class Program { }"),
            new[] { new TestAdditionalText("/0/catalog/x.yaml", text) },
            CompilerHarness.GlobalConfig(new[] { "/0/catalog/x.yaml" }));
        Assert.Empty(run.Exceptions);
        Assert.Equal(new[] { '[', 'D' }, run.Diagnostics.OrderBy(d => d.Location.SourceSpan.Start).Select(d => text[d.Location.SourceSpan.Start]));
    }

    [Fact]
    public async Task FileDecodedWithABomAndAsAStringWithoutItReportTheSamePositions()
    {
        const string yaml = "description: [x]\r\nfeature: shop\r\nevents:\r\n  checkout:\r\n    tier: D\r\n    sampling: 2";
        var withBom = await RunAsync(FromFileBytes(yaml, bom: true));
        var without = await RunAsync(SourceText.From(yaml));
        Assert.Equal(without, withBom);
        Assert.Equal(3, withBom.Count);

        static async Task<List<string>> RunAsync(SourceText text)
        {
            var run = await CompilerHarness.AnalyzeAsync(
                CompilerHarness.Compilation("internal static class Program { }"),
                new[] { new TestAdditionalText("/0/catalog/x.yaml", text) },
                CompilerHarness.GlobalConfig(new[] { "/0/catalog/x.yaml" }));
            return run.Diagnostics.Select(d => d.Id + d.Location.GetLineSpan().Span).OrderBy(s => s, StringComparer.Ordinal).ToList();
        }
    }

    private static DiagnosticResult Parse(string expected)
    {
        var at = expected.Split('@', ':');
        return Diagnostic(at[0]).WithLocation(PathOf("x.yaml"), int.Parse(at[1]), int.Parse(at[2]));
    }
}
