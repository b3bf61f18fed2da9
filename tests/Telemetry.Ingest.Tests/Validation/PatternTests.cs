using System.Text.RegularExpressions;
using Telemetry.Ingest.Tests.TestSupport;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Tests.Validation;

/// <summary>
/// Catalog patterns run on the linear-time engine without a wall-clock timeout: the property-based ingest test found
/// valid symbols refused as <c>pattern</c> on a busy machine, where a 100 ms match timeout expired.
/// </summary>
public sealed class PatternTests
{
    [Fact]
    public void Every_shipped_catalog_pattern_runs_on_the_non_backtracking_engine_without_a_timeout()
    {
        var patterns = CatalogEvents.Specs.SelectMany(s => s.Properties).Select(p => p.Pattern).OfType<string>().Distinct().ToList();
        Assert.NotEmpty(patterns);
        foreach (var pattern in patterns)
        {
            var regex = EventSchemaCompiler.CompilePattern(pattern);
            Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking), pattern);
            Assert.Equal(Regex.InfiniteMatchTimeout, regex.MatchTimeout);
        }
    }

    [Fact]
    public void A_catastrophic_pattern_is_linear_and_a_pattern_the_linear_engine_cannot_run_keeps_its_timeout()
    {
        var nested = EventSchemaCompiler.CompilePattern("^(a+)+$");
        Assert.DoesNotMatch(nested, new string('a', 100_000) + "!");

        var backreference = EventSchemaCompiler.CompilePattern("^(a)\\1$");
        Assert.False(backreference.Options.HasFlag(RegexOptions.NonBacktracking));
        Assert.Equal(EventSchemaCompiler.PatternTimeout, backreference.MatchTimeout);
        Assert.Matches(backreference, "aa");
    }
}
