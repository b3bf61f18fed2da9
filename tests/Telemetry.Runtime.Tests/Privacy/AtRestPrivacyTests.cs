using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Telemetry.Runtime.Tests.Events;
using Telemetry.Runtime.Tests.TestSupport;

namespace Telemetry.Runtime.Tests.Privacy;

/// <summary>
/// The privacy promise at rest on the client: the queue and consent.json hold keyed hashes, never ids;
/// a purge leaves no readable copy in the database, its -wal or -shm file (right after and after exit);
/// hashes join across processes of one install; the user can export and erase their own data.
/// </summary>
public sealed class AtRestPrivacyTests
{
    private const string EmailUser = "someone.canary@example.com";

    [Fact]
    public async Task Queue_and_consent_file_hold_neither_the_user_id_nor_its_unkeyed_hash()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        await using (var pipeline = Build(sink, directory.Path, EmailUser))
        {
            for (var i = 0; i < 5; i++) pipeline.TrackProbeNoteSaved(title: "t" + i, query: "q", wordCount: i);
            pipeline.Ingest();
            await pipeline.SetConsentAsync(granted: true);

            using var connection = new SqliteConnection("Data Source=" + Path.Combine(directory.Path, SqliteOfflineQueue.FileName) + ";Mode=ReadOnly;Pooling=false");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT DISTINCT subject FROM events";
            var subject = Assert.IsType<string>(command.ExecuteScalar());
            Assert.Matches("^[0-9a-f]{64}$", subject);
            Assert.Equal(5, pipeline.Statistics.QueueDepth);
            AssertNotInFolder(directory.Path, EmailUser, Sha256Hex(EmailUser), "someone.canary");
        }

        AssertNotInFolder(directory.Path, EmailUser, Sha256Hex(EmailUser), "someone.canary");
        var consent = File.ReadAllText(Path.Combine(directory.Path, FileConsentStore.FileName));
        Assert.Contains("hmac-sha256", consent);
        Assert.Equal(ConsentState.Granted, new FileConsentStore(directory.Path).Get(EmailUser));
    }

    [Fact]
    public async Task A_choice_recorded_under_the_old_unkeyed_hash_is_honoured_and_rewritten_keyed()
    {
        using var directory = new TempDirectory();
        SecureDirectory.Ensure(directory.Path);
        var legacy = "{\"version\":1,\"subjects\":{\"" + Sha256Hex("user-legacy") + "\":\"denied\"}}";
        File.WriteAllText(Path.Combine(directory.Path, FileConsentStore.FileName), legacy);

        await using var pipeline = Build(new ScriptedSink(), directory.Path, "user-legacy");

        Assert.Equal(ConsentState.Denied, pipeline.Consent);
        var text = File.ReadAllText(Path.Combine(directory.Path, FileConsentStore.FileName));
        Assert.DoesNotContain(Sha256Hex("user-legacy"), text);
        Assert.Equal(ConsentState.Denied, new FileConsentStore(directory.Path).Get("user-legacy"));
    }

    [Fact]
    public async Task ForgetMe_in_a_real_process_leaves_no_canary_in_the_database_wal_or_shm_right_after_and_after_exit()
    {
        if (OperatingSystem.IsWindows()) return;
        using var directory = new TempDirectory();
        const string user = "user-canary-31415";
        const string canary = "zq-canary-payload-27182";
        using var child = StartChild("forget", directory.Path, user, canary);
        await WaitForLine(child, "queued");

        // The canaries are on disk before the purge: the checks below can fail.
        var before = ReadQueueFiles(directory.Path);
        Assert.Contains(canary, before);
        Assert.Contains(user, before);

        await child.StandardInput.WriteLineAsync("forget");
        await WaitForLine(child, "purged");
        var afterPurge = ReadQueueFiles(directory.Path);
        Assert.DoesNotContain(canary, afterPurge);
        Assert.DoesNotContain(user, afterPurge);

        await child.StandardInput.WriteLineAsync("exit");
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(0, child.ExitCode);
        var afterExit = ReadQueueFiles(directory.Path);
        Assert.DoesNotContain(canary, afterExit);
        Assert.DoesNotContain(user, afterExit);
        AssertNotInFolder(directory.Path, user, canary);
    }

    [Fact]
    public async Task Consent_withdrawal_purges_physically_in_process_too()
    {
        using var directory = new TempDirectory();
        const string canary = "zq-consent-canary-16180";
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        await using var pipeline = Build(sink, directory.Path, "user-consent-canary");
        for (var i = 0; i < 200; i++) pipeline.TrackProbeNoteSaved(title: canary, query: "q", wordCount: i, summary: canary + i);
        pipeline.Ingest();
        Assert.Contains(canary, ReadQueueFiles(directory.Path));

        await pipeline.SetConsentAsync(granted: false);

        Assert.Equal(0, pipeline.Statistics.QueueDepth);
        Assert.DoesNotContain(canary, ReadQueueFiles(directory.Path));
        Assert.DoesNotContain("user-consent-canary", ReadQueueFiles(directory.Path));
    }

    [Fact]
    public async Task Equal_values_hash_equally_in_two_processes_of_one_install_after_normalisation()
    {
        using var directory = new TempDirectory();
        using var other = new TempDirectory();
        var first = await RunHashChild(directory.Path, "Alice@Example.com");
        var second = await RunHashChild(directory.Path, "  alice@example.com ");
        var elsewhere = await RunHashChild(other.Path, "alice@example.com");

        Assert.Matches("^[0-9a-f]{64}$", first);
        Assert.Equal(first, second);
        Assert.NotEqual(first, elsewhere);

        // The same key file gives the same hash in this process too.
        Assert.Equal(first, PersonalData.Hash(HmacPersonalDataProtector.ForInstall(directory.Path), "ALICE@EXAMPLE.COM", PiiClass.Email));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(directory.Path, PersonalDataKey.FileName)));
            Assert.Equal(SecureDirectory.OwnerOnly, File.GetUnixFileMode(directory.Path));
        }
    }

    [Fact]
    public void An_app_key_replaces_the_install_key_and_two_protectors_with_it_agree()
    {
        var key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();
        var a = PersonalData.Hash(new HmacPersonalDataProtector(key), "+44 20 7946 0958", PiiClass.Phone);
        var b = PersonalData.Hash(new HmacPersonalDataProtector(key), "0044 (20) 7946-0958", PiiClass.Phone);
        Assert.Equal(a, b);
        Assert.Equal(new HmacPersonalDataProtector(key).Hash("442079460958"), a);
    }

    [Theory]
    [InlineData(PiiClass.Email, " Alice@Example.COM ", "alice@example.com")]
    [InlineData(PiiClass.Phone, "+44 20 7946 0958", "442079460958")]
    [InlineData(PiiClass.Phone, "0044 20 7946 0958", "442079460958")]
    [InlineData(PiiClass.Phone, "+1 (555) 010-0199", "15550100199")]
    [InlineData(PiiClass.Phone, "020 7946 0958", "02079460958")]
    [InlineData(PiiClass.IpAddress, "2001:DB8:0:0::1", "2001:db8::1")]
    [InlineData(PiiClass.IpAddress, " 192.168.0.1 ", "192.168.0.1")]
    [InlineData(PiiClass.PersonName, "  Jane   Doe ", "jane doe")]
    [InlineData(PiiClass.UserId, " user 42 ", "user 42")]
    [InlineData(PiiClass.FreeText, " As Typed ", " As Typed ")]
    public void Values_are_normalised_per_pii_class_before_hashing(PiiClass piiClass, string value, string expected) =>
        Assert.Equal(expected, PersonalData.Normalize(value, piiClass));

    [Fact]
    public async Task ExportMyData_returns_what_is_queued_for_the_current_user_only()
    {
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        await using var t = TestPipeline.Create(sink);
        t.Pipeline.TrackProbeNoteSaved(title: "mine-1", query: "q", wordCount: 1);
        t.Pipeline.TrackProbeNoteSaved(title: "mine-2 jane@example.com", query: "q", wordCount: 2);
        t.Ingest();
        t.Pipeline.Identify("user-2");
        t.Pipeline.TrackProbeNoteSaved(title: "theirs", query: "q", wordCount: 3);
        t.Ingest();
        t.Pipeline.Identify("user-1");

        var export = await t.Pipeline.ExportMyDataAsync();

        Assert.Equal("user-1", export.UserId);
        Assert.Equal(ConsentState.Granted, export.Consent);
        Assert.Equal(2, export.QueuedEvents.Count);
        Assert.Contains("mine-1", export.QueuedEvents[0]);
        Assert.Contains("mine-2 [EMAIL]", export.QueuedEvents[1]);
        using var json = JsonDocument.Parse(export.ToJson());
        Assert.Equal(2, json.RootElement.GetProperty("queued_events").GetArrayLength());
        Assert.Equal("mine-1", json.RootElement.GetProperty("queued_events")[0].GetProperty("title").GetString());
        Assert.DoesNotContain("theirs", export.ToJson());
    }

    [Fact]
    public async Task ForgetMe_opts_out_purges_and_continues_under_a_new_anonymous_id()
    {
        using var directory = new TempDirectory();
        var sink = new ScriptedSink { Fallback = _ => new SinkResult(SinkOutcome.RetryLater) };
        // Deferred, so one event is still in the capture buffer when the user asks to be forgotten.
        await using var t = TestPipeline.Create(sink, o => o.Durability.A = EventDurability.Deferred, directory: directory.Path);
        var oldAnonymous = t.Pipeline.AnonymousId;
        t.Pipeline.TrackProbeNoteSaved(title: "before", query: "q", wordCount: 1);
        t.Ingest();
        t.Pipeline.TrackProbeNoteSaved(title: "captured, not yet queued", query: "q", wordCount: 2);
        Assert.Equal(1, t.Stats.QueueDepth);

        var purged = await t.Pipeline.ForgetMeAsync();

        Assert.Equal(1, purged);
        Assert.Null(t.Pipeline.UserId);
        Assert.NotEqual(oldAnonymous, t.Pipeline.AnonymousId);
        Assert.Equal(t.Pipeline.AnonymousId, File.ReadAllText(Path.Combine(directory.Path, AnonymousIdStore.FileName)).Trim());
        Assert.Equal(ConsentState.Denied, t.Pipeline.Consent);
        t.Pipeline.TrackProbeNoteSaved(title: "after", query: "q", wordCount: 3);
        t.Ingest();
        Assert.Equal(0, t.Stats.QueueDepth);
        sink.Fallback = _ => SinkResult.Success;
        await t.DeliverAllAsync();
        Assert.Empty(sink.Accepted);
        Assert.Empty((await t.Pipeline.ExportMyDataAsync()).QueuedEvents);
    }

    [Fact]
    public async Task RedactFields_replaces_named_properties_whatever_they_hold()
    {
        var sink = new ScriptedSink();
        await using var t = TestPipeline.Create(sink, o => o.RedactFields = new List<string> { "Summary", "wordCount", "labels" });
        t.Pipeline.TrackProbeNoteSaved(title: "kept", query: "kept too", wordCount: 7, labels: new[] { "a", "b" }, summary: "nothing personal");
        await t.DeliverAllAsync();

        using var json = JsonDocument.Parse(ScriptedSink.Text(Assert.Single(sink.Accepted)));
        var root = json.RootElement;
        Assert.Equal(PersonalData.RedactedMarker, root.GetProperty("summary").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("word_count").ValueKind);
        Assert.All(root.GetProperty("labels").EnumerateArray(), e => Assert.Equal(PersonalData.RedactedMarker, e.GetString()));
        Assert.Equal("kept", root.GetProperty("title").GetString());
        Assert.Equal("kept too", root.GetProperty("query").GetString());
        Assert.Equal("user-1", root.GetProperty("user_id").GetString());
    }

    private static TelemetryPipeline Build(ScriptedSink sink, string directory, string userId) =>
        TelemetryPipeline.CreateBuilder()
            .Configure(o =>
            {
                o.ApplicationName = "runtime-tests";
                o.ClientVersion = "1.2.3";
                o.UserId = userId;
                o.StorageDirectory = directory;
            })
            .WithSink(sink)
            .WithoutBackgroundLoops()
            .Build();

    private static string Sha256Hex(string value) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(value))).ToLowerInvariant();

    /// <summary>The queue's database, -wal and -shm files as Latin-1 text (every byte one char), so any UTF-8 substring is found.</summary>
    private static string ReadQueueFiles(string directory)
    {
        var text = new StringBuilder();
        foreach (var suffix in new[] { string.Empty, "-wal", "-shm", "-journal" })
        {
            var path = Path.Combine(directory, SqliteOfflineQueue.FileName + suffix);
            if (!File.Exists(path)) continue;
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var memory = new MemoryStream();
            stream.CopyTo(memory);
            text.Append(Encoding.Latin1.GetString(memory.ToArray())).Append('\n');
        }

        return text.ToString();
    }

    private static void AssertNotInFolder(string directory, params string[] canaries)
    {
        foreach (var file in Directory.GetFiles(directory))
        {
            var bytes = Encoding.Latin1.GetString(File.ReadAllBytes(file));
            foreach (var canary in canaries) Assert.False(bytes.Contains(canary, StringComparison.Ordinal), $"'{canary}' found in {Path.GetFileName(file)}");
        }
    }

    private static async Task<string> RunHashChild(string directory, string value)
    {
        using var child = StartChild("hash", directory, value);
        var output = await child.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        await child.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(child.ExitCode == 0, await child.StandardError.ReadToEndAsync());
        return output.Trim();
    }

    private static Process StartChild(params string[] args)
    {
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (string.IsNullOrEmpty(host) || !File.Exists(host)) host = "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("exec");
        start.ArgumentList.Add(typeof(AtRestPrivacyTests).Assembly.Location);
        start.ArgumentList.Add(PrivacyChild.Verb);
        foreach (var arg in args) start.ArgumentList.Add(arg);
        return Process.Start(start) ?? throw new InvalidOperationException("could not start the child");
    }

    private static async Task WaitForLine(Process child, string line)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var read = await child.StandardOutput.ReadLineAsync(cts.Token);
            if (read is null) throw new InvalidOperationException($"the child exited before '{line}': {await child.StandardError.ReadToEndAsync(cts.Token)}");
            if (read.Trim() == line) return;
        }
    }
}
