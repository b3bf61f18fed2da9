using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Envelope;

public class EnvelopeTests
{
    [Fact]
    public async Task Every_event_carries_the_full_envelope_before_its_properties()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.AnonymousId = "device-7");
        t.Time.Advance(TimeSpan.FromMilliseconds(1234));
        t.Pipeline.TrackProbeStep(42);
        await t.DeliverAllAsync();

        var e = Assert.Single(sink.Accepted);
        using var json = JsonDocument.Parse(e.Json);
        var root = json.RootElement;
        var names = root.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(
            new[] { "event", "event_id", "timestamp", "session_id", "user_bucket", "sampling_rate", "client_version", "schema_version", "user_id", "anonymous_id", "seq" },
            names);
        Assert.Equal("probe.step", root.GetProperty("event").GetString());
        Assert.Equal(e.EventId, root.GetProperty("event_id").GetGuid());
        Assert.Equal(TestPipeline.Start.AddMilliseconds(1234), root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(Guid.Parse("00000000-0000-4000-8000-000000000001"), root.GetProperty("session_id").GetGuid());
        Assert.Equal(Fnv1a32.Bucket("user-1"), root.GetProperty("user_bucket").GetInt32());
        Assert.Equal(1.0, root.GetProperty("sampling_rate").GetDouble());
        Assert.Equal("1.2.3", root.GetProperty("client_version").GetString());
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        Assert.Equal("user-1", root.GetProperty("user_id").GetString());
        Assert.Equal("device-7", root.GetProperty("anonymous_id").GetString());
        Assert.Equal(42, root.GetProperty("seq").GetInt32());
        Assert.Equal(EventTier.B, e.Tier);
        Assert.Equal(TestPipeline.Start.AddMilliseconds(1234), e.Timestamp);
        Assert.Equal("user-1", e.UserId);
        Assert.Equal("device-7", e.AnonymousId);
    }

    [Fact]
    public async Task An_event_is_byte_for_byte_what_one_writer_writes_across_identities_and_event_types()
    {
        // The serialiser writes the properties apart (only they are scanned for personal data) and copies the envelope
        // fields after the timestamp once per identity: the wire bytes must not change.
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.AnonymousId = "device-7");
        var tracked = new List<Action<Utf8JsonWriter>>();
        for (var i = 0; i < 30; i++)
        {
            if (i == 10) t.Pipeline.Identify("user-2");
            if (i == 20) t.Pipeline.Identify(null);
            t.Time.Advance(TimeSpan.FromMilliseconds(7 * i));
            switch (i % 3)
            {
                case 0:
                    var step = new ProbeStep(i);
                    t.Pipeline.Track(step);
                    tracked.Add(step.WriteProperties);
                    break;
                case 1:
                    var note = new ProbeNoteSaved("plan \"" + i + "\" \u00e9\u6f22", "btc", i, ["a", "b\n"]);
                    t.Pipeline.Track(note);
                    tracked.Add(note.WriteProperties);
                    break;
                default:
                    var ping = new ProbePing(i);
                    t.Pipeline.Track(ping);
                    tracked.Add(ping.WriteProperties);
                    break;
            }

            t.Ingest();
        }

        await t.DeliverAllAsync();
        Assert.Equal(tracked.Count, sink.Accepted.Count);
        var buckets = new Dictionary<string, int> { ["user-1"] = Fnv1a32.Bucket("user-1"), ["user-2"] = Fnv1a32.Bucket("user-2") };
        for (var i = 0; i < tracked.Count; i++)
        {
            var e = sink.Accepted[i];
            var descriptor = (i % 3) switch { 0 => ProbeStep.Descriptor, 1 => ProbeNoteSaved.Descriptor, _ => ProbePing.Descriptor };
            var bucket = e.UserId is { } user ? buckets[user] : Fnv1a32.Bucket("device-7");
            var expected = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new Utf8JsonWriter(expected))
            {
                writer.WriteStartObject();
                EnvelopeWriter.Write(writer, descriptor, e.EventId, e.Timestamp, t.Pipeline.SessionId, bucket, descriptor.EffectiveSampling, JsonEncodedText.Encode("1.2.3"), e.UserId, e.AnonymousId);
                tracked[i](writer);
                writer.WriteEndObject();
            }

            Assert.Equal(System.Text.Encoding.UTF8.GetString(expected.WrittenSpan), System.Text.Encoding.UTF8.GetString(e.Json.Span));
        }
    }

    [Theory]
    [InlineData("user-1")]
    [InlineData(null)]
    public async Task The_envelope_is_the_shared_field_list_and_the_first_property_after_it_is_scrubbed(string? userId)
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = userId);
        t.Pipeline.TrackProbeNoteSaved(title: "mail jane.canary@example.com", query: "q", wordCount: 1, summary: "s");
        await t.DeliverAllAsync();

        using var json = JsonDocument.Parse(Assert.Single(sink.Accepted).Json);
        var names = json.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        var envelope = Telemetry.Wire.EnvelopeFields.All.Where(f => f.AlwaysWritten || (f.Name == Telemetry.Wire.EnvelopeFields.UserId ? userId is not null : true))
            .Select(f => f.Name).ToArray();
        Assert.Equal(envelope, names.Take(envelope.Length));
        Assert.Equal(Telemetry.Wire.EnvelopeFields.WrittenCount(userId is not null, anonymousId: true), envelope.Length);
        Assert.All(names.Skip(envelope.Length), n => Assert.False(Telemetry.Wire.EnvelopeFields.IsEnvelopeField(n), n));

        // The serialiser trusts exactly the envelope: the event's first property is still scrubbed.
        Assert.Equal("title", names[envelope.Length]);
        Assert.Equal("mail " + PersonalDataScrubber.EmailMarker, json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public void The_envelope_field_check_names_exactly_the_listed_fields()
    {
        var listed = Telemetry.Wire.EnvelopeFields.All.Select(f => f.Name).ToArray();
        Assert.Equal(listed.Length, listed.Distinct(StringComparer.Ordinal).Count());
        Assert.All(listed, n => Assert.True(Telemetry.Wire.EnvelopeFields.IsEnvelopeField(n), n));
        foreach (var other in new[] { "Event", "event ", "events", "user", "seq", "title", "count", "" })
        {
            Assert.False(Telemetry.Wire.EnvelopeFields.IsEnvelopeField(other), other);
        }

        Assert.Equal(listed.TakeWhile(n => Telemetry.Wire.EnvelopeFields.All.First(f => f.Name == n).AlwaysWritten).Count(), Telemetry.Wire.EnvelopeFields.AlwaysWrittenCount);
        Assert.Equal(Telemetry.Wire.EnvelopeFields.UserBucketCount, EventDescriptor.BucketCount);
    }

    [Fact]
    public async Task Event_ids_are_unique_time_ordered_uuid_v7()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink);
        for (var i = 0; i < 500; i++)
        {
            t.Pipeline.TrackProbeStep(i);
            if (i % 100 == 0) t.Time.Advance(TimeSpan.FromMilliseconds(5));
        }

        await t.DeliverAllAsync();
        var ids = sink.Accepted.Select(e => e.EventId).ToArray();
        Assert.Equal(500, ids.Distinct().Count());
        foreach (var id in ids)
        {
            var text = id.ToString("D");
            Assert.Equal('7', text[14]);
            Assert.Contains(text[19], "89ab");
        }

        var timestamps = ids.Select(id => Convert.ToInt64(id.ToString("N")[..12], 16)).ToArray();
        Assert.Equal(timestamps.OrderBy(x => x), timestamps);
        Assert.Equal(TestPipeline.Start.ToUnixTimeMilliseconds(), timestamps[0]);
    }

    [Fact]
    public async Task A_signed_out_user_is_sent_with_the_anonymous_id_only_and_bucketed_by_it()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o =>
        {
            o.UserId = null;
            o.AnonymousId = "anon-123";
        });
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        using var json = JsonDocument.Parse(Assert.Single(sink.Accepted).Json);
        Assert.False(json.RootElement.TryGetProperty("user_id", out _));
        Assert.Equal(Fnv1a32.Bucket("anon-123"), json.RootElement.GetProperty("user_bucket").GetInt32());
        Assert.Equal(Fnv1a32.Bucket("anon-123"), t.Pipeline.UserBucket);
    }

    [Fact]
    public async Task The_anonymous_id_is_persisted_in_the_folder_so_the_bucket_survives_restarts()
    {
        using var directory = new TempDirectory();
        string first;
        await using (var a = TestPipeline.Create(new ScriptedSink(), o => o.UserId = null, directory: directory.Path))
        {
            first = a.Pipeline.AnonymousId;
        }

        await using var b = TestPipeline.Create(new ScriptedSink(), o => o.UserId = null, directory: directory.Path);
        Assert.Equal(first, b.Pipeline.AnonymousId);
        Assert.True(Guid.TryParse(first, out _));
    }

    [Fact]
    public void EventIdGenerator_stamps_the_given_time_and_stays_unique_within_a_millisecond()
    {
        var generator = new EventIdGenerator();
        var at = new DateTimeOffset(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
        var ids = Enumerable.Range(0, 10_000).Select(_ => generator.Next(at)).ToArray();
        Assert.Equal(ids.Length, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Equal(at.ToUnixTimeMilliseconds(), Convert.ToInt64(id.ToString("N")[..12], 16)));
    }
}
