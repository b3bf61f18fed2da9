using Telemetry.Catalog.Model;
using Telemetry.Catalog.Parsing;
using static Telemetry.Catalog.Parsing.NumberText;

namespace Telemetry.Catalog.Rules;

/// <summary>The event-volume rules: a high-frequency event is aggregated, local-only or sampled (TEL2001); a metric has no sampling (TEL2002).</summary>
internal sealed class CostRules
{
    private readonly FileDiagnostics _file;

    public CostRules(FileDiagnostics file) => _file = file;

    /// <summary>TEL2001: a <c>frequency: high</c> event is aggregated, local_only, or sampled at or below 0.01.</summary>
    public void CheckHighFrequency(EventSpec spec)
    {
        if (spec.Frequency == Frequency.High && spec.Aggregate is null && !spec.LocalOnly && spec.Sampling > 0.01)
        {
            Report(DiagnosticIds.UnsampledHighFrequency, spec.Location,
                $"Event '{spec.Name}' is frequency: high but neither aggregated, local_only, nor sampled at or below 0.01 (sampling is {Format(spec.Sampling)})");
        }
    }

    /// <summary>TEL2002: metrics are tracked at 100 %, so a metric has no <c>sampling:</c>.</summary>
    public void CheckMetricSampling(string name, MappingReader reader)
    {
        if (reader.Node("sampling") is not null)
        {
            Report(DiagnosticIds.SampledMetric, reader.KeySpan("sampling"),
                $"Metric '{name}' has sampling, but metrics are tracked at 100 %; remove 'sampling:' or make it an event");
        }
    }

    private void Report(string id, SourceSpan span, string message) => _file.Report(id, span, message);
}
