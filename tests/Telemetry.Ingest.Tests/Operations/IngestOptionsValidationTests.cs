using Microsoft.Extensions.Options;

namespace Telemetry.Ingest.Tests.Operations;

/// <summary>
/// Bad settings stop the server at start with a message naming the option and the allowed range (never clamped
/// silently to something the operator did not write); the defaults and the documented bounds are valid.
/// </summary>
public sealed class IngestOptionsValidationTests
{
    public static TheoryData<string, Action<IngestOptions>, string[]> BadSettings() => new()
    {
        { "MaxEventsPerBatch 0", o => o.MaxEventsPerBatch = 0, new[] { "MaxEventsPerBatch", "between 1 and 1000000" } },
        { "MaxBodyBytes tiny", o => o.MaxBodyBytes = 10, new[] { "MaxBodyBytes", "1024" } },
        { "MaxJsonDepth 1", o => o.MaxJsonDepth = 1, new[] { "MaxJsonDepth", "between 4 and 256" } },
        { "MaxErrorsPerEvent 0", o => o.MaxErrorsPerEvent = 0, new[] { "MaxErrorsPerEvent", "between 1 and 1000" } },
        { "KeyRefreshSeconds 0", o => o.KeyRefreshSeconds = 0, new[] { "KeyRefreshSeconds" } },
        { "RetentionDays negative", o => o.RetentionDays = -1, new[] { "RetentionDays", "between 0 and 36500" } },
        { "FingerprintBucketSeconds 0", o => o.FingerprintBucketSeconds = 0, new[] { "FingerprintBucketSeconds" } },
        { "RateLimit.WindowSeconds 0", o => o.RateLimit.WindowSeconds = 0, new[] { "RateLimit.WindowSeconds", "between 1 and 86400" } },
        { "RateLimit.PerKeyPermits 0", o => o.RateLimit.PerKeyPermits = 0, new[] { "RateLimit.PerKeyPermits" } },
        { "RateLimit.PerIpPermits -5", o => o.RateLimit.PerIpPermits = -5, new[] { "RateLimit.PerIpPermits" } },
        { "RateLimit.SyncMilliseconds 1", o => o.RateLimit.SyncMilliseconds = 1, new[] { "RateLimit.SyncMilliseconds", "between 10 and 60000" } },
        { "Storage.MaxEventsPerCommit 0", o => o.Storage.MaxEventsPerCommit = 0, new[] { "Storage.MaxEventsPerCommit" } },
        { "Storage.MaxPendingEvents below a commit", o => { o.Storage.MaxEventsPerCommit = 500; o.Storage.MaxPendingEvents = 100; }, new[] { "MaxPendingEvents (100)", "MaxEventsPerCommit (500)" } },
        { "Forwarding.BatchSize 0", o => o.Forwarding.BatchSize = 0, new[] { "Forwarding.BatchSize" } },
        { "Forwarding.PollSeconds 0", o => o.Forwarding.PollSeconds = 0, new[] { "Forwarding.PollSeconds" } },
        { "Forwarding retry delays reversed", o => { o.Forwarding.InitialRetrySeconds = 30; o.Forwarding.MaxRetrySeconds = 5; }, new[] { "MaxRetrySeconds (5)", "InitialRetrySeconds (30)" } },
        { "Forwarding.MaxQueueBytes tiny", o => o.Forwarding.MaxQueueBytes = 1, new[] { "Forwarding.MaxQueueBytes" } },
        { "aggregation window 0", o => o.AggregationWindowOverrides["chart.crosshair_agg"] = 0, new[] { "AggregationWindowOverrides:chart.crosshair_agg", "between 1 and 86400000" } },
        { "project without key", o => o.Projects.Add(new ProjectOptions { Name = "p", WriteKey = "" }), new[] { "WriteKey" } },
        { "two projects, one key", o => { o.Projects.Add(new ProjectOptions { Name = "a", WriteKey = "same-key-0123456789" }); o.Projects.Add(new ProjectOptions { Name = "b", WriteKey = "same-key-0123456789" }); }, new[] { "share one write key" } },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_fails_validation_naming_the_option_and_its_range(string @case, Action<IngestOptions> change, string[] expected)
    {
        var options = new IngestOptions();
        change(options);

        var result = new IngestOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Failed, @case + ": accepted");
        foreach (var fragment in expected) Assert.Contains(fragment, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void The_defaults_are_valid() => Assert.True(new IngestOptionsValidator().Validate(Options.DefaultName, new IngestOptions()).Succeeded);

    [Fact]
    public void The_bounds_themselves_are_valid()
    {
        var options = new IngestOptions
        {
            MaxEventsPerBatch = 1,
            MaxJsonDepth = 4,
            MaxErrorsPerEvent = 1000,
            RetentionDays = 0,
            KeyRefreshSeconds = 0.1,
            MaxBodyBytes = 1024,
        };
        options.RateLimit.WindowSeconds = 86_400;
        options.Storage.MaxEventsPerCommit = 1;
        options.Storage.MaxPendingEvents = 1;
        options.Forwarding.InitialRetrySeconds = 2;
        options.Forwarding.MaxRetrySeconds = 2;

        var result = new IngestOptionsValidator().Validate(Options.DefaultName, options);

        Assert.True(result.Succeeded, result.FailureMessage);
    }

    [Fact]
    public async Task The_server_does_not_start_with_a_bad_setting()
    {
        var failure = await Assert.ThrowsAsync<OptionsValidationException>(async () =>
        {
            await using var host = await TestSupport.IngestHost.StartAsync(o => o.RateLimit.WindowSeconds = 0);
        });

        Assert.Contains("RateLimit.WindowSeconds", failure.Message, StringComparison.Ordinal);
    }
}
