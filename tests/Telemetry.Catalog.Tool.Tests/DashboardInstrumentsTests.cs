using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Telemetry.Catalog.Tool.Monitoring;
using Telemetry.Ingest.Operations;
using Telemetry.Runtime;

namespace Telemetry.Catalog.Tool.Tests;

/// <summary>
/// The names the Grafana dashboard and the Prometheus alert rules query (<see cref="MetricNames"/>) are the instruments
/// the ingest server and the runtime really create: renaming an instrument in the code without the dashboard (or the
/// other way round) fails here instead of leaving a silent, empty panel or an alert that never fires.
/// </summary>
public sealed class DashboardInstrumentsTests
{
    [Fact]
    public void Every_ingest_metric_the_dashboard_queries_is_an_instrument_IngestMetrics_creates_with_that_kind_and_unit()
    {
        var published = new List<Instrument>();
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = services.GetRequiredService<IMeterFactory>();
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (instrument.Meter.Scope == factory) lock (published) published.Add(instrument);
            },
        };
        listener.Start();
        using var metrics = new IngestMetrics(factory);

        var constants = typeof(IngestMetrics.Instruments).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
        var queried = MetricNames.All.Where(m => m.Meter == IngestMetrics.MeterName).ToList();
        Assert.NotEmpty(queried);
        foreach (var metric in queried)
        {
            Assert.Contains(metric.Instrument, constants);
            var instrument = Assert.Single(published, i => i.Name == metric.Instrument);
            Assert.Equal(IngestMetrics.MeterName, instrument.Meter.Name);
            Assert.Equal(metric.Unit, instrument.Unit);
            Assert.Equal(metric.Kind, KindOf(instrument));
        }

        // And every instrument the server creates follows the OpenTelemetry naming the exporter's rule maps (dotted, lower case).
        Assert.All(published, i => Assert.Matches("^telemetry\\.ingest\\.[a-z_.]+$", i.Name));
    }

    [Fact]
    public void Every_runtime_metric_the_dashboard_queries_is_a_TelemetryMetrics_instrument_name()
    {
        var constants = typeof(TelemetryMetrics).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Name", StringComparison.Ordinal) && f.Name != nameof(TelemetryMetrics.MeterName))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        Assert.Equal(TelemetryMetrics.MeterName, MetricNames.RuntimeMeter);
        foreach (var metric in MetricNames.All.Where(m => m.Meter == TelemetryMetrics.MeterName))
        {
            Assert.Contains(metric.Instrument, constants);
        }
    }

    private static string KindOf(Instrument instrument)
    {
        var type = instrument.GetType().GetGenericTypeDefinition();
        if (type == typeof(Counter<>) || type == typeof(ObservableCounter<>)) return "counter";
        if (type == typeof(Histogram<>)) return "histogram";
        return "gauge";
    }
}
