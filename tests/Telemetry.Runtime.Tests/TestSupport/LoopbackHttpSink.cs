using System.Net.Http.Headers;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>
/// A minimal HTTP sink for the loopback tests: POSTs the batch as a JSON array of our wire objects.
/// It deliberately lets network errors (connection refused) escape as exceptions, to prove the
/// pipeline treats a misbehaving sink as a transient failure.
/// </summary>
internal sealed class LoopbackHttpSink : ITelemetrySink
{
    private readonly HttpClient _http;
    private readonly Uri _endpoint;

    public LoopbackHttpSink(HttpClient http, Uri endpoint, int maxBatchSize = 50)
    {
        _http = http;
        _endpoint = endpoint;
        MaxBatchSize = maxBatchSize;
    }

    public string Name => "loopback";

    public int MaxBatchSize { get; }

    public async ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
    {
        using var body = new MemoryStream();
        body.WriteByte((byte)'[');
        for (var i = 0; i < batch.Count; i++)
        {
            if (i > 0) body.WriteByte((byte)',');
            body.Write(batch[i].Json.Span);
        }

        body.WriteByte((byte)']');
        using var content = new ByteArrayContent(body.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await _http.PostAsync(_endpoint, content, cancellationToken);
        var status = (int)response.StatusCode;
        if (status is >= 200 and < 300) return SinkResult.Success;
        if (status == 413) return new SinkResult(SinkOutcome.TooLarge, Detail: "413");
        if (status is 400 or 401 or 403) return new SinkResult(SinkOutcome.Rejected, Detail: status.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new SinkResult(SinkOutcome.RetryLater, response.Headers.RetryAfter?.Delta, Detail: status.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }
}
