using System.Text.Json;
using Telemetry.Runtime.Sinks.Tests.TestSupport;

namespace Telemetry.Runtime.Sinks.Tests;

public sealed class ConsoleAndNoOpSinkTests
{
    [Fact]
    public async Task Console_sink_writes_one_json_line_per_event()
    {
        var output = new StringWriter();
        var events = Events.Several(3);

        var result = await new ConsoleSink(output).SendAsync(events, default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(events.Select(e => e.Text()), lines);
    }

    [Fact]
    public async Task Console_sink_applies_the_mapping()
    {
        var output = new StringWriter();
        var options = new ConsoleSinkOptions { EventName = n => n.ToUpperInvariant() };
        options.PropertyNames["price"] = null;

        await new ConsoleSink(output, options).SendAsync(new[] { Events.Watchlist() }, default);

        var line = JsonDocument.Parse(output.ToString()).RootElement;
        Assert.Equal("WATCHLIST.ADD", line.GetProperty("event").GetString());
        Assert.False(line.TryGetProperty("price", out _));
        Assert.Equal(0.1, line.GetProperty("sampling_rate").GetDouble());
    }

    [Fact]
    public async Task NoOp_sink_accepts_everything()
    {
        var result = await NoOpSink.Instance.SendAsync(Events.Several(2), default);

        Assert.Same(SinkResult.Success, result);
        Assert.Equal("noop", NoOpSink.Instance.Name);
    }

    [Fact]
    public async Task A_custom_sink_only_implements_the_interface()
    {
        var sink = new CollectingSink();

        var result = await sink.SendAsync(Events.Several(2), default);

        Assert.Equal(SinkOutcome.Delivered, result.Outcome);
        Assert.Equal(2, sink.Received.Count);
    }

    [Fact]
    public async Task The_readme_file_sink_example_appends_one_line_per_event()
    {
        var path = Path.Combine(Path.GetTempPath(), "sink-" + Guid.NewGuid().ToString("N") + ".jsonl");
        try
        {
            var events = Events.Several(2);

            var result = await new FileSink(path).SendAsync(events, default);

            Assert.Equal(SinkOutcome.Delivered, result.Outcome);
            Assert.Equal(events.Select(e => e.Text()), File.ReadAllLines(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    /// <summary>The README's custom-sink example, verbatim.</summary>
    public sealed class FileSink(string path) : ITelemetrySink
    {
        public string Name => "file";
        public int MaxBatchSize => 500;

        public async ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            try
            {
                await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read);
                foreach (var e in batch)
                {
                    await file.WriteAsync(e.Json, cancellationToken);   // our flat wire object, UTF-8 JSON
                    file.WriteByte((byte)'\n');
                }

                return SinkResult.Success;
            }
            catch (IOException ex)
            {
                return new SinkResult(SinkOutcome.RetryLater, Detail: ex.Message);
            }
        }
    }

    private sealed class CollectingSink : ITelemetrySink
    {
        public List<OutgoingEvent> Received { get; } = new();

        public string Name => "collect";

        public int MaxBatchSize => 500;

        public ValueTask<SinkResult> SendAsync(IReadOnlyList<OutgoingEvent> batch, CancellationToken cancellationToken)
        {
            lock (Received) Received.AddRange(batch);
            return ValueTask.FromResult(SinkResult.Success);
        }
    }
}
