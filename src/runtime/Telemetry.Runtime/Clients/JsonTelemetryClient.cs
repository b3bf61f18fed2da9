using System;
using System.Buffers;
using System.Text.Json;
using System.Threading;
using Microsoft.Extensions.Logging.Abstractions;

namespace Telemetry.Runtime;

/// <summary>
/// A small synchronous client: deterministic per-user sampling, the envelope, and one JSON object per
/// event handed to <see cref="Write"/>. It is the honest minimum generated code needs to run (console
/// and tests); batching, consent, the durable queue and delivery live in the full pipeline.
/// </summary>
public abstract class JsonTelemetryClient : ITelemetryClient, ITelemetryConstraintObserver, IDisposable
{
    private long _constraintDrops;
    private long _clampedValues;

    private readonly object _writeLock = new();
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);
    private readonly Utf8JsonWriter _writer;
    private readonly EventIdGenerator _ids;
    private readonly JsonEncodedText _clientVersion;
    private readonly ITimer _windowTimer;
    private readonly AggregatorRegistry _aggregators;
    private int _disposed;

    /// <summary>Creates the client.</summary>
    protected JsonTelemetryClient(TelemetryClientOptions? options)
    {
        options ??= new TelemetryClientOptions();
        Time = options.Time;
        SessionId = options.SessionId ?? Guid.NewGuid();
        var identity = options.UserId ?? options.AnonymousId ?? Guid.NewGuid().ToString("N");
        UserBucket = Fnv1a32.Bucket(identity);
        Privacy = options.Privacy ?? HmacPersonalDataProtector.CreateEphemeral();
        _clientVersion = JsonEncodedText.Encode(options.ClientVersion);
        _ids = new EventIdGenerator(Time);
        _writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = false });
        // The pipeline's registry: one lookup and one window rule; this client keeps no pipeline counters.
        _aggregators = new AggregatorRegistry(Time, new PipelineCounters(), NullLogger.Instance, isRecording: static () => false);
        _windowTimer = Time.CreateTimer(_ => FlushDueWindows(), null, TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>The user's sampling bucket, 0..9999.</summary>
    public int UserBucket { get; }

    /// <summary>The session id stamped on each event.</summary>
    public Guid SessionId { get; }

    /// <summary>The client's clock.</summary>
    public TimeProvider Time { get; }

    /// <inheritdoc/>
    public IPersonalDataProtector Privacy { get; }

    /// <summary>Events written so far.</summary>
    public long EventsWritten => Interlocked.Read(ref _eventsWritten);

    private long _eventsWritten;

    /// <summary>Events the generated Track methods dropped because a value broke its catalog constraint (<c>TelemetryConstraintPolicy=Report</c>).</summary>
    public long ConstraintDrops => Interlocked.Read(ref _constraintDrops);

    /// <summary>Values clamped to their catalog constraint (<c>on_violation: clamp</c>); their events were written.</summary>
    public long ClampedValues => Interlocked.Read(ref _clampedValues);

    /// <inheritdoc/>
    void ITelemetryConstraintObserver.ConstraintViolated(EventDescriptor descriptor, string property, string rule, bool clamped)
    {
        if (clamped) Interlocked.Increment(ref _clampedValues);
        else Interlocked.Increment(ref _constraintDrops);
    }

    /// <inheritdoc/>
    public bool IsEnabled(EventDescriptor descriptor) => UserBucket < descriptor.SampledBuckets;

    /// <inheritdoc/>
    public void Track<TEvent>(in TEvent telemetryEvent)
        where TEvent : struct, ITelemetryEvent<TEvent>
    {
        var descriptor = TEvent.Descriptor;
        if (UserBucket >= descriptor.SampledBuckets) return;
        lock (_writeLock)
        {
            _buffer.ResetWrittenCount();
            _writer.Reset(_buffer);
            _writer.WriteStartObject();
            EnvelopeWriter.Write(_writer, descriptor, _ids.Next(), Time.GetUtcNow(), SessionId, UserBucket, descriptor.EffectiveSampling, _clientVersion);
            telemetryEvent.WriteProperties(_writer);
            _writer.WriteEndObject();
            _writer.Flush();
            Write(descriptor, _buffer.WrittenSpan);
            _eventsWritten++;
        }
    }

    /// <inheritdoc/>
    public TAggregator Aggregator<TAggregator>()
        where TAggregator : class, ITelemetryAggregator, new() => _aggregators.GetOrAdd<TAggregator>();

    /// <summary>Flushes every aggregator now (window end is not awaited), e.g. on shutdown.</summary>
    public int FlushAggregates() => _aggregators.FlushAll(this);

    /// <summary>Flushes the aggregators whose window has ended.</summary>
    public int FlushDueWindows() => _aggregators.FlushDue(this);

    /// <summary>Receives one serialised event (valid only during the call).</summary>
    protected abstract void Write(EventDescriptor descriptor, ReadOnlySpan<byte> json);

    /// <summary>Flushes open aggregation windows and stops the window timer.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _windowTimer.Dispose();
        FlushAggregates();
        Dispose(true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases resources of a derived client.</summary>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing) _writer.Dispose();
    }
}
