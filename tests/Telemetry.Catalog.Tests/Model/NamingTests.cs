using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tests.Model;

/// <summary>How catalog names become C# names (one rule for generator, analyzers and tool).</summary>
public sealed class NamingTests
{
    [Theory]
    [InlineData("watchlist.add", "WatchlistAdd")]
    [InlineData("analysis.ocr_extraction", "AnalysisOcrExtraction")]
    [InlineData("chart.crosshair_agg", "ChartCrosshairAgg")]
    [InlineData("rule.version.performance", "RuleVersionPerformance")]
    public void TypeNameIsPascalCaseOfTheFullName(string eventName, string typeName) => Assert.Equal(typeName, Naming.TypeName(eventName));

    [Theory]
    [InlineData("analysis.ocr_extraction", "TrackAnalysisOcrExtraction")]
    [InlineData("trade.quick_open", "TrackTradeQuickOpen")]
    public void TrackMethodIsTrackPlusTypeName(string eventName, string method) => Assert.Equal(method, Naming.TrackMethod(eventName));

    [Theory]
    [InlineData("rule_version", "ruleVersion")]
    [InlineData("symbol", "symbol")]
    [InlineData("screen_x", "screenX")]
    public void CamelCaseForParameters(string name, string camel) => Assert.Equal(camel, Naming.Camel(name));

    [Theory]
    [InlineData("market", "Market")]
    [InlineData("1h", "_1h")]
    [InlineData("change_24h", "Change24h")]
    [InlineData("already_filled", "AlreadyFilled")]
    public void EnumMemberIsAValidIdentifier(string value, string member) => Assert.Equal(member, Naming.EnumMember(value));

    [Theory]
    [InlineData("event", true)]
    [InlineData("event_id", true)]
    [InlineData("schema_version", true)]
    [InlineData("symbol", false)]
    [InlineData("note_length", false)]
    public void EnvelopeFieldsAreReserved(string name, bool reserved) => Assert.Equal(reserved, Envelope.IsReserved(name));

    [Theory]
    [InlineData("price", AggregateStatKind.Min, "price_min")]
    [InlineData("price", AggregateStatKind.Avg, "price_avg")]
    [InlineData("price", AggregateStatKind.Sum, "price_sum")]
    [InlineData("price", AggregateStatKind.Last, "last_price")]
    [InlineData("time", AggregateStatKind.First, "first_time")]
    [InlineData("price", AggregateStatKind.Count, "count")]
    public void DerivedAggregateNamesFollowTheSeedPayload(string property, AggregateStatKind kind, string name) =>
        Assert.Equal(name, AggregateNaming.DerivedName(property, kind));

    [Fact]
    public void DiagnosticHelpLinkPointsAtTheIdsPage() =>
        Assert.EndsWith("docs/diagnostics/TEL1003.md", DiagnosticIds.HelpLink(DiagnosticIds.SensitiveEventSampled), StringComparison.Ordinal);
}
