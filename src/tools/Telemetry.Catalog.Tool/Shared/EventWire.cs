using System;
using Telemetry.Catalog.Model;

namespace Telemetry.Catalog.Tool.Shared;

/// <summary>How much of an event reaches the wire: the same rule as the runtime's effective sampling.</summary>
internal static class EventWire
{
    /// <summary>
    /// The share of users who send this event (<c>sampling_rate</c> in the envelope): its <c>sampling</c>, or for a
    /// <c>local_only</c> event the <c>full_stream_percent</c> share of users who also send the raw stream.
    /// </summary>
    public static double Sampling(EventSpec spec) => Telemetry.Catalog.Cost.VolumeModel.WireSampling(spec);

    /// <summary>False for a local-only event that no user sends raw: nothing ever leaves the process.</summary>
    public static bool IsEverSent(EventSpec spec) => Sampling(spec) > 0;
}
