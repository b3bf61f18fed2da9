using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Telemetry.Runtime;

/// <summary>
/// The one skeleton of the HTTP provider sinks (Segment, Amplitude, Mixpanel, GA4, the ingest endpoint): options
/// validated and copied once, the event mapping, and a send that checks the batch, translates each event into the
/// provider's shape (rejecting the ones that can never be sent) and hands the prepared batch to the provider's request.
/// A provider sink is its mapping: how one event is written, and how a batch is posted and its answer read.
/// </summary>
public abstract class HttpTelemetrySink : ITelemetrySink
{
    private readonly ProviderEventWriter _writeEvent;

    /// <summary>Validates <paramref name="options"/> and keeps what every HTTP sink needs; only this library's sinks derive from it.</summary>
    private protected HttpTelemetrySink(HttpClient httpClient, HttpTelemetrySinkOptions options)
    {
        Http = httpClient ?? throw new ArgumentNullException(nameof(httpClient));
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        Timeout = options.RequestTimeout;
        Time = options.Time;
        MaxBatchSize = options.MaxBatchSize;
        Mapping = new SinkEventMapping(options);
        _writeEvent = WriteEvent;
    }

    /// <inheritdoc/>
    public abstract string Name { get; }

    /// <inheritdoc/>
    public int MaxBatchSize { get; }

    /// <summary>The client requests go through (shared, not disposed by the sink).</summary>
    private protected HttpClient Http { get; }

    /// <summary>Timeout of one request.</summary>
    private protected TimeSpan Timeout { get; }

    /// <summary>The clock (sent-at stamps, Retry-After dates).</summary>
    private protected TimeProvider Time { get; }

    /// <summary>Event names and properties as this sink's options map them.</summary>
    private protected SinkEventMapping Mapping { get; }

    /// <summary>The provider's event writer, for a sink that prepares events outside <see cref="SendAsync"/>.</summary>
    private protected ProviderEventWriter EventWriter => _writeEvent;

    /// <summary>Most events one request may carry.</summary>
    private protected abstract int RequestEventLimit { get; }

    /// <summary>The limit named in a too-many answer (e.g. <c>Segment's 2500</c>).</summary>
    private protected abstract string RequestEventLimitText { get; }

    /// <summary>Largest translated event accepted; larger ones are rejected locally.</summary>
    private protected abstract int MaxPreparedEventBytes { get; }

    /// <inheritdoc/>
    /// <remarks>True: the batch is read during the send only.</remarks>
    public bool ReadsBatchOnlyDuringSend => true;

    /// <inheritdoc/>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        if (PreparedBatch.Start(batch, RequestEventLimit, RequestEventLimitText, Mapping, MaxPreparedEventBytes, _writeEvent, cancellationToken, out var prepared) is { } early)
        {
            return early;
        }

        return await SendPreparedAsync(prepared, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes one event in the provider's shape; returns null, or the reason it can never be sent.</summary>
    private protected abstract string? WriteEvent(WireEvent wire, string eventName, Utf8JsonWriter writer, out string? userId, out string? deviceId);

    /// <summary>Posts the prepared events (at least one) and reads the provider's answer.</summary>
    private protected abstract ValueTask<SinkResult> SendPreparedAsync(PreparedBatch prepared, CancellationToken cancellationToken);
}
