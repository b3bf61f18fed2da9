using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using Telemetry.Catalog.Privacy;

namespace Telemetry.Catalog.Tests.Privacy;

/// <summary>
/// TEL1001 against the shared corpus (tests/Shared/pii-corpus.tsv); the runtime's scrubber runs the same
/// corpus and must give the same verdicts (Telemetry.Runtime.Tests, PiiCorpusTests).
/// </summary>
public sealed class PiiCorpusTests
{
    public static IEnumerable<object[]> Rows() => PiiCorpus.Rows();

    [Fact]
    public void CorpusHasEveryKindAndEnoughNegatives()
    {
        var samples = PiiCorpus.Load();
        foreach (var kind in new[] { "email", "phone", "card", "iban", "ssn", "ip", "secret" })
        {
            Assert.Contains(samples, s => s.IsPersonal && s.Kind == kind);
        }

        Assert.True(samples.Count(s => !s.IsPersonal) >= 30);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void ExampleCheckGivesTheCorpusVerdict(string row)
    {
        var sample = PiiCorpus.Find(row);
        var reason = PiiHeuristics.JudgeExample(sample.Text);
        if (sample.IsPersonal) Assert.NotNull(reason);
        else Assert.Null(reason);
    }

    [Theory]
    [MemberData(nameof(Rows))]
    public void Tel1001GivesTheCorpusVerdictForAnExample(string row)
    {
        var sample = PiiCorpus.Find(row);
        var yaml = "feature: probe\nevents:\n  seen:\n    description: Probe.\n    properties:\n      label: { type: string, example: '"
            + sample.Text.Replace("'", "''", StringComparison.Ordinal) + "' }\n";
        var file = CatalogParser.Parse("probe.yaml", yaml);
        var flagged = file.Diagnostics.Any(d => d.Id == DiagnosticIds.UnclassifiedPii);
        Assert.DoesNotContain(file.Diagnostics, d => d.Severity == CatalogSeverity.Error);
        Assert.Equal(sample.IsPersonal, flagged);
    }
}
