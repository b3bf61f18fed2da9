using System;

namespace Telemetry.Runtime;

/// <summary>Wire spellings of <see cref="DropReason"/>, <see cref="SampledOutReason"/>, <see cref="ResendReason"/> and <see cref="EventTier"/> used as metric tag values.</summary>
internal static class TelemetryTagNames
{
    /// <summary>The snake_case tag value of <paramref name="reason"/> (<c>buffer_full</c>, <c>queue_full</c>, ...).</summary>
    public static string Of(DropReason reason) => reason switch
    {
        DropReason.BufferFull => "buffer_full",
        DropReason.QueueFull => "queue_full",
        DropReason.TooLarge => "too_large",
        DropReason.Rejected => "rejected",
        DropReason.Expired => "expired",
        DropReason.Consent => "consent",
        DropReason.Shutdown => "shutdown",
        DropReason.StorageError => "storage_error",
        DropReason.SerializationError => "serialization_error",
        DropReason.Poison => "poison",
        DropReason.Constraint => "constraint",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The snake_case tag value of <paramref name="reason"/>.</summary>
    public static string Of(SampledOutReason reason) => reason switch
    {
        SampledOutReason.Bucket => "bucket",
        SampledOutReason.Throttled => "throttled",
        SampledOutReason.Never => "never",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The tag value of <paramref name="reason"/> (<c>timeout</c>, <c>reset</c>, <c>5xx</c>, <c>crash_replay</c>).</summary>
    public static string Of(ResendReason reason) => reason switch
    {
        ResendReason.Timeout => "timeout",
        ResendReason.Reset => "reset",
        ResendReason.ServerError => "5xx",
        ResendReason.CrashReplay => "crash_replay",
        _ => throw new ArgumentOutOfRangeException(nameof(reason)),
    };

    /// <summary>The tag value of <paramref name="tier"/> (<c>A</c>, <c>B</c>, <c>C</c>).</summary>
    public static string Of(EventTier tier) => tier switch
    {
        EventTier.A => "A",
        EventTier.B => "B",
        EventTier.C => "C",
        _ => throw new ArgumentOutOfRangeException(nameof(tier)),
    };
}
