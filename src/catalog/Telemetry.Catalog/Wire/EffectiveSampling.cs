// The one effective-sampling rule. This file is compiled into two assemblies: the catalog library (the cost model,
// the docs' example payloads) and Telemetry.Runtime (every event descriptor), so the share of users the tool
// estimates and the share the client sends cannot disagree.
using System;

namespace Telemetry.Wire;

/// <summary>How much of an event leaves the process: the <c>sampling_rate</c> its envelope carries.</summary>
internal static class EffectiveSampling
{
    /// <summary>
    /// The share of users (0..1) who send the event: its catalog <paramref name="sampling"/>, or for a
    /// <c>local_only</c> event the <paramref name="fullStreamPercent"/> share of users who also send the raw stream.
    /// </summary>
    public static double Of(double sampling, bool localOnly, double fullStreamPercent) =>
        localOnly ? Math.Max(0, Math.Min(1, fullStreamPercent / 100.0)) : sampling;
}
