using System.Text;
using System.Text.Json;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Privacy;

public class PiiCanaryTests
{
    private const string Email = "jane.canary@example.com";
    private const string Phone = "+1 (555) 010-0199";
    private const string Card = "4111 1111 1111 1111";
    private const string Iban = "GB82 WEST 1234 5698 7654 32";
    private const string Ssn = "123-45-6789";

    private static readonly string Canary = $"contact {Email} or {Phone}, card {Card}, iban {Iban}, ssn {Ssn}";

    private static readonly string[] Forbidden =
    {
        Email, "jane.canary", "example.com", Phone, "010-0199", Card, "4111111111111111", Iban, "GB82WEST", "WEST 1234", Ssn,
    };

    private static readonly string[] ForbiddenDigits = { "5550100199", "4111111111111111", "12345698765432", "123456789" };

    [Fact]
    public async Task A_canary_in_every_string_field_never_reaches_any_byte_the_sink_receives()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UseDurableQueue = true, queue: null);
        t.Pipeline.TrackProbeNoteSaved(title: Canary, query: Canary, wordCount: 3, labels: new[] { Canary, "plain", Email }, summary: Canary);
        t.Pipeline.TrackProbeNoteSaved(title: Email, query: Phone, wordCount: 1, labels: new[] { Card, Iban, Ssn }, summary: "free text: " + Canary);
        await t.DeliverAllAsync();

        Assert.Equal(2, sink.Accepted.Count);
        foreach (var request in sink.Requests)
        {
            foreach (var e in request) AssertClean(e);
        }

        using var json = JsonDocument.Parse(sink.Accepted[0].Json);
        Assert.Contains(PersonalDataScrubber.EmailMarker, json.RootElement.GetProperty("title").GetString());
        Assert.Contains(PersonalDataScrubber.CardMarker, json.RootElement.GetProperty("query").GetString());
        Assert.Equal("plain", json.RootElement.GetProperty("labels")[1].GetString());
        Assert.Equal(3, json.RootElement.GetProperty("word_count").GetInt32());
    }

    [Fact]
    public async Task The_queue_on_disk_holds_only_scrubbed_payloads()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink().Then(new SinkResult(SinkOutcome.RetryLater));
        await using (var t = TestPipeline.Create(sink, o => o.UseDurableQueue = true, directory: directory.Path))
        {
            t.Pipeline.TrackProbeNoteSaved(title: Canary, query: Canary, wordCount: 3, summary: Canary);
            t.Ingest();
        }

        var bytes = File.ReadAllBytes(Path.Combine(directory.Path, SqliteOfflineQueue.FileName));
        var wal = Path.Combine(directory.Path, SqliteOfflineQueue.FileName + "-wal");
        if (File.Exists(wal)) bytes = bytes.Concat(File.ReadAllBytes(wal)).ToArray();
        var text = Encoding.UTF8.GetString(bytes);
        Assert.Contains("probe.note_saved", text);
        foreach (var forbidden in Forbidden) Assert.DoesNotContain(forbidden, text);
    }

    [Fact]
    public async Task An_email_used_as_user_id_is_scrubbed_from_the_envelope_and_the_sink_fields()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.UserId = Email);
        t.Pipeline.TrackProbeStep(1);
        await t.DeliverAllAsync();

        var e = Assert.Single(sink.Accepted);
        Assert.Equal(PersonalDataScrubber.EmailMarker, e.UserId);
        AssertClean(e);
    }

    private static void AssertClean(OutgoingEvent e)
    {
        var raw = Encoding.UTF8.GetString(e.Json.Span);
        var fields = new List<string> { raw, e.Name, e.UserId ?? string.Empty, e.AnonymousId ?? string.Empty };
        using var document = JsonDocument.Parse(e.Json);
        CollectStrings(document.RootElement, fields);
        foreach (var field in fields)
        {
            foreach (var forbidden in Forbidden) Assert.DoesNotContain(forbidden, field, StringComparison.OrdinalIgnoreCase);
        }

        // Digits alone, separators removed, of every string property (not ids or timestamps).
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.Name is "event_id" or "timestamp" or "session_id" or "anonymous_id") continue;
            var values = new List<string>();
            CollectStrings(property.Value, values);
            foreach (var value in values)
            {
                var digits = new string(value.Where(char.IsAsciiDigit).ToArray());
                foreach (var forbidden in ForbiddenDigits) Assert.DoesNotContain(forbidden, digits);
            }
        }
    }

    private static void CollectStrings(JsonElement element, List<string> into)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                into.Add(element.GetString()!);
                break;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray()) CollectStrings(item, into);
                break;
            case JsonValueKind.Object:
                foreach (var property in element.EnumerateObject())
                {
                    into.Add(property.Name);
                    CollectStrings(property.Value, into);
                }

                break;
        }
    }
}
