namespace Telemetry.Runtime.Sinks.Tests;

public sealed class OptionsValidationTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public void Empty_keys_are_refused()
    {
        Assert.Contains("WriteKey", Assert.Throws<ArgumentException>(() => new SegmentSink(Http, new SegmentSinkOptions())).Message);
        Assert.Contains("ApiKey", Assert.Throws<ArgumentException>(() => new AmplitudeSink(Http, new AmplitudeSinkOptions { ApiKey = " " })).Message);
        Assert.Contains("ProjectToken", Assert.Throws<ArgumentException>(() => new MixpanelSink(Http, new MixpanelSinkOptions())).Message);
        Assert.Contains("WriteKey", Assert.Throws<ArgumentException>(() => new IngestSink(Http, new IngestSinkOptions { BaseUrl = new Uri("https://ingest.example.com") })).Message);
    }

    [Fact]
    public void Plain_http_is_refused_except_for_loopback()
    {
        var remote = Assert.Throws<ArgumentException>(() => new IngestSink(Http, new IngestSinkOptions { WriteKey = "k", BaseUrl = new Uri("http://ingest.example.com") }));
        Assert.Contains("https", remote.Message);
        Assert.Throws<ArgumentException>(() => new SegmentSink(Http, new SegmentSinkOptions { WriteKey = "k", Host = new Uri("http://10.0.0.5") }));

        _ = new IngestSink(Http, new IngestSinkOptions { WriteKey = "k", BaseUrl = new Uri("http://127.0.0.1:8080") });
        _ = new IngestSink(Http, new IngestSinkOptions { WriteKey = "k", BaseUrl = new Uri("http://localhost:8080") });
        _ = new SegmentSink(Http, new SegmentSinkOptions { WriteKey = "k", Host = new Uri("https://segment-proxy.example.com") });
    }

    [Fact]
    public void Mixpanel_needs_exactly_one_way_to_authenticate()
    {
        Assert.Throws<ArgumentException>(() => new MixpanelSink(Http, new MixpanelSinkOptions { ProjectToken = "t", ServiceAccountUsername = "u", ServiceAccountSecret = "s", ProjectId = "1" }));
        Assert.Contains("ProjectId", Assert.Throws<ArgumentException>(() => new MixpanelSink(Http, new MixpanelSinkOptions { ServiceAccountUsername = "u", ServiceAccountSecret = "s" })).Message);
        _ = new MixpanelSink(Http, new MixpanelSinkOptions { ServiceAccountUsername = "u", ServiceAccountSecret = "s", ProjectId = "1" });
    }

    [Fact]
    public void Limits_and_mapping_are_checked()
    {
        Assert.Throws<ArgumentException>(() => new SegmentSink(Http, new SegmentSinkOptions { WriteKey = "k", MaxBatchSize = 2501 }));
        Assert.Throws<ArgumentException>(() => new AmplitudeSink(Http, new AmplitudeSinkOptions { ApiKey = "k", MinIdLength = 0 }));
        Assert.Throws<ArgumentException>(() => new AmplitudeSink(Http, new AmplitudeSinkOptions { ApiKey = "k", RequestTimeout = TimeSpan.Zero }));
        var options = new ConsoleSinkOptions();
        options.PropertyNames["symbol"] = "";
        Assert.Throws<ArgumentException>(() => new ConsoleSink(TextWriter.Null, options));
    }

    [Fact]
    public void Options_are_copied_when_the_sink_is_built()
    {
        var options = new SegmentSinkOptions { WriteKey = "k" };
        var sink = new SegmentSink(Http, options);

        options.Host = SegmentSinkOptions.EuHost;
        options.MaxBatchSize = 10;

        Assert.Equal("https://api.segment.io/v1/batch", sink.Endpoint.ToString());
        Assert.Equal(2500, sink.MaxBatchSize);
    }
}
