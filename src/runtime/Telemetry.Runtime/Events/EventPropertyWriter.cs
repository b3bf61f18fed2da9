using System;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Telemetry.Runtime;

/// <summary>
/// What a generated <c>WriteProperties</c> writes with: one call per property, by its index in the event's
/// <see cref="EventDescriptor.Properties"/> (whose pre-encoded wire name it writes). The nullable overloads write nothing
/// for an absent optional value. Every method inlines to the same <see cref="Utf8JsonWriter"/> call a hand-written writer
/// makes, so the generated code stays small without a cost per event. While the pipeline serialises, each call also
/// tells it what was written (a string meets the personal-data pre-check as it is written), so the pipeline need not read
/// the event's JSON a second time to scrub it when nothing in it can be personal data. Not meant to be called by hand.
/// </summary>
[System.ComponentModel.EditorBrowsable(System.ComponentModel.EditorBrowsableState.Never)]
public readonly ref struct EventPropertyWriter
{
    private readonly Utf8JsonWriter _writer;
    private readonly EventDescriptor _descriptor;

    // Set while the pipeline serialises into this writer: lets it skip the second read for personal data (PropertyWriteCheck).
    private readonly PropertyWriteCheck? _check;

    /// <summary>A writer of <paramref name="descriptor"/>'s properties into <paramref name="writer"/>'s current object.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public EventPropertyWriter(Utf8JsonWriter writer, EventDescriptor descriptor)
    {
        _writer = writer;
        _descriptor = descriptor;
        _check = PropertyWriteCheck.For(writer);
    }

    /// <summary>Writes a string (null as JSON null).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(int index, string? value)
    {
        Enter();
        _writer.WriteString(_descriptor.EncodedPropertyName(index), value);
        Leave(value);
    }

    /// <summary>Writes an optional string: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void OptionalString(int index, string? value)
    {
        if (value is not null)
        {
            Enter();
            _writer.WriteString(_descriptor.EncodedPropertyName(index), value);
            Leave(value);
        }
    }

    /// <summary>Writes an enum's catalog string.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enum<TEnum>(int index, CatalogEnumValues<TEnum> values, TEnum value)
        where TEnum : struct, Enum
    {
        Enter();
        _writer.WriteString(_descriptor.EncodedPropertyName(index), values.ToJsonText(value));
        Leave();
    }

    /// <summary>Writes an optional enum's catalog string: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Enum<TEnum>(int index, CatalogEnumValues<TEnum> values, TEnum? value)
        where TEnum : struct, Enum
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteString(_descriptor.EncodedPropertyName(index), values.ToJsonText(value.GetValueOrDefault()));
            Leave();
        }
    }

    /// <summary>Writes a timestamp (ISO 8601).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(int index, DateTimeOffset value)
    {
        Enter();
        _writer.WriteString(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional timestamp: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(int index, DateTimeOffset? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteString(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes a UUID.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(int index, Guid value)
    {
        Enter();
        _writer.WriteString(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional UUID: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void String(int index, Guid? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteString(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes a boolean.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Boolean(int index, bool value)
    {
        Enter();
        _writer.WriteBoolean(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional boolean: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Boolean(int index, bool? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteBoolean(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes an int32.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, int value)
    {
        Enter();
        _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional int32: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, int? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes an int64.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, long value)
    {
        Enter();
        _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional int64: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, long? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes a double.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, double value)
    {
        Enter();
        _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional double: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, double? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes a decimal.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, decimal value)
    {
        Enter();
        _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value);
        Leave();
    }

    /// <summary>Writes an optional decimal: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, decimal? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault());
            Leave();
        }
    }

    /// <summary>Writes a duration in milliseconds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, TimeSpan value)
    {
        Enter();
        _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.TotalMilliseconds);
        Leave();
    }

    /// <summary>Writes an optional duration in milliseconds: nothing when null.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Number(int index, TimeSpan? value)
    {
        if (value.HasValue)
        {
            Enter();
            _writer.WriteNumber(_descriptor.EncodedPropertyName(index), value.GetValueOrDefault().TotalMilliseconds);
            Leave();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Enter() => _check?.Enter(_writer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Leave() => _check?.Leave(_writer);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Leave(string? value) => _check?.Leave(_writer, value);
}
