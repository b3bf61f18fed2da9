using System;
using System.Collections.Generic;
using System.Data.Common;
using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Ingest.Operations;
using Telemetry.Ingest.Validation;

namespace Telemetry.Ingest.Dashboard;

/// <summary>
/// What the dashboard learns from the ingest path of this node, in memory until the rollup job writes it out:
/// rejection summaries (event, property, reason, JSON path, client version, count, first/last time; never a value),
/// rejected and duplicate events per hour, the events per second of the last seconds and recent request latencies.
/// The counts come from <see cref="IngestMetrics"/> and its request-duration histogram, so nothing on the hot path waits for it.
/// </summary>
internal sealed class DashboardRecorder : IDisposable
{
    /// <summary>Distinct rejection groups kept between two writes; more fold into one "(other)" group per reason.</summary>
    internal const int MaxPendingGroups = 10_000;

    private const int Seconds = 120;
    private const int LatencySamples = 8192;

    private readonly IngestMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly object _gate = new();
    private readonly MeterListener _listener;
    private readonly ITimer _ticker;
    private Dictionary<RejectionKey, Tally> _rejections = new();
    private Dictionary<long, (long Rejected, long Duplicates)> _hours = new();
    private readonly SecondSample[] _seconds = new SecondSample[Seconds];
    private long _lastSecond;
    private long _lastIncoming;
    private long _lastStored;
    private long _lastDuplicates;
    private long _lastRejected;
    private readonly double[] _latency = new double[LatencySamples];
    private readonly long[] _latencyAt = new long[LatencySamples];
    private long _latencyCount;

    public DashboardRecorder(IngestMetrics metrics, TimeProvider time, IMeterFactory? meterFactory)
    {
        _metrics = metrics;
        _time = time;
        _lastIncoming = metrics.IncomingTotal;
        _lastStored = metrics.StoredTotal;
        _lastDuplicates = metrics.DuplicatesTotal;
        _lastRejected = metrics.ValidationErrorsTotal;
        _lastSecond = time.GetUtcNow().ToUnixTimeSeconds();
        _listener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                // This server's request-duration histogram (the only histogram of its meter), not another host's in the same process.
                if (instrument.Meter.Name == IngestMetrics.MeterName && instrument is Histogram<double>
                    && (meterFactory is null || ReferenceEquals(instrument.Meter.Scope, meterFactory)))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _listener.SetMeasurementEventCallback<double>((_, seconds, _, _) => RecordLatency(seconds));
        _listener.Start();
        _ticker = time.CreateTimer(_ => Tick(), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    /// <summary>Records the rejections of one event (called by the ingest handler where it rejects an event).</summary>
    /// <param name="evt">The event as received.</param>
    /// <param name="eventPath">Its JSON path in the request (<c>$.events[3]</c> or <c>$</c>).</param>
    /// <param name="errors">Its validation errors.</param>
    public void Rejected(JsonElement evt, string eventPath, IReadOnlyList<ValidationError> errors)
    {
        string name = "(not an object)", version = "(none)";
        try
        {
            if (evt.ValueKind == JsonValueKind.Object)
            {
                name = evt.TryGetProperty("event", out var n) && n.ValueKind == JsonValueKind.String ? Cap(n.GetString()!, 100) : "(no event name)";
                if (evt.TryGetProperty("client_version", out var v) && v.ValueKind == JsonValueKind.String) version = Cap(v.GetString()!, 40);
            }
        }
        catch (InvalidOperationException)
        {
            name = "(not valid Unicode)"; // a lone surrogate escape in the name
        }

        if (name.Length == 0) name = "(empty event name)";
        var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
        lock (_gate)
        {
            foreach (var error in errors)
            {
                var path = RelativePath(error.Path, eventPath);
                var key = new RejectionKey(name, PropertyOf(path), error.Reason, path, version);
                if (!_rejections.ContainsKey(key) && _rejections.Count >= MaxPendingGroups) key = new RejectionKey("(other)", "", error.Reason, "$", "(other)");
                _rejections[key] = _rejections.TryGetValue(key, out var t) ? new Tally(t.Count + 1, t.First, now) : new Tally(1, now, now);
            }
        }
    }

    /// <summary>The path inside the event (<c>$.events[3].price</c> → <c>$.price</c>), array indexes as <c>[*]</c>, at most 200 characters.</summary>
    internal static string RelativePath(string path, string eventPath)
    {
        var rest = path.StartsWith(eventPath, StringComparison.Ordinal) ? path.Substring(eventPath.Length) : path;
        var b = new StringBuilder("$");
        for (var i = 0; i < rest.Length; i++)
        {
            if (rest[i] == '[' && i + 1 < rest.Length && char.IsAsciiDigit(rest[i + 1]))
            {
                var j = i + 1;
                while (j < rest.Length && char.IsAsciiDigit(rest[j])) j++;
                if (j < rest.Length && rest[j] == ']')
                {
                    b.Append("[*]");
                    i = j;
                    continue;
                }
            }

            b.Append(rest[i]);
        }

        return Cap(b.ToString(), 200);
    }

    /// <summary>The top-level property a relative path points into (<c>$.price</c> → <c>price</c>, <c>$['a b']</c> → <c>a b</c>), empty for the event itself.</summary>
    internal static string PropertyOf(string relativePath)
    {
        if (relativePath.StartsWith("$.", StringComparison.Ordinal))
        {
            var end = relativePath.IndexOfAny(new[] { '.', '[' }, 2);
            return end < 0 ? relativePath.Substring(2) : relativePath.Substring(2, end - 2);
        }

        if (relativePath.StartsWith("$['", StringComparison.Ordinal))
        {
            var end = relativePath.IndexOf("']", 3, StringComparison.Ordinal);
            return end < 0 ? relativePath.Substring(3) : relativePath.Substring(3, end - 3).Replace("\\'", "'").Replace("\\\\", "\\");
        }

        return "";
    }

    private static string Cap(string text, int length) => text.Length <= length ? text : text.Substring(0, length);

    private void RecordLatency(double seconds)
    {
        var i = Interlocked.Increment(ref _latencyCount) - 1;
        var slot = (int)(i % LatencySamples);
        _latency[slot] = seconds;
        Volatile.Write(ref _latencyAt[slot], _time.GetTimestamp());
    }

    /// <summary>Ingest request latency percentiles (milliseconds) over the last <paramref name="window"/>; null without requests.</summary>
    public (double P50, double P95, double P99, int Requests)? Latency(TimeSpan window)
    {
        var now = _time.GetTimestamp();
        var values = new List<double>();
        var filled = (int)Math.Min(Interlocked.Read(ref _latencyCount), LatencySamples);
        for (var i = 0; i < filled; i++)
        {
            var at = Volatile.Read(ref _latencyAt[i]);
            if (at != 0 && _time.GetElapsedTime(at, now) <= window) values.Add(_latency[i] * 1000);
        }

        if (values.Count == 0) return null;
        values.Sort();
        return (Percentile(values, 0.50), Percentile(values, 0.95), Percentile(values, 0.99), values.Count);
    }

    /// <summary>Nearest-rank percentile of sorted values.</summary>
    internal static double Percentile(List<double> sorted, double p)
    {
        var rank = (int)Math.Ceiling(p * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }

    /// <summary>Per-second event counts of this node averaged over the last <paramref name="seconds"/> complete seconds.</summary>
    public LiveRates Rates(int seconds)
    {
        Tick();
        lock (_gate)
        {
            double incoming = 0, stored = 0, duplicates = 0, rejected = 0;
            for (var s = _lastSecond - seconds; s < _lastSecond; s++)
            {
                var sample = _seconds[(int)(((s % Seconds) + Seconds) % Seconds)];
                if (sample.Second != s) continue;
                incoming += sample.Incoming;
                stored += sample.Stored;
                duplicates += sample.Duplicates;
                rejected += sample.Rejected;
            }

            return new LiveRates(incoming / seconds, stored / seconds, duplicates / seconds, rejected / seconds);
        }
    }

    /// <summary>Folds the counters' growth since the last call into the current second and hour.</summary>
    internal void Tick()
    {
        var now = _time.GetUtcNow();
        var second = now.ToUnixTimeSeconds();
        var hour = now.ToUnixTimeMilliseconds() / 3_600_000 * 3_600_000;
        lock (_gate)
        {
            long incoming = _metrics.IncomingTotal, stored = _metrics.StoredTotal, duplicates = _metrics.DuplicatesTotal, rejected = _metrics.ValidationErrorsTotal;
            var d = new SecondSample(second, incoming - _lastIncoming, stored - _lastStored, duplicates - _lastDuplicates, rejected - _lastRejected);
            (_lastIncoming, _lastStored, _lastDuplicates, _lastRejected) = (incoming, stored, duplicates, rejected);
            if (d.Rejected != 0 || d.Duplicates != 0)
            {
                var h = _hours.TryGetValue(hour, out var x) ? x : default;
                _hours[hour] = (h.Rejected + d.Rejected, h.Duplicates + d.Duplicates);
            }

            // Counts of the seconds between two ticks go to the current one.
            var slot = (int)(second % Seconds);
            if (_seconds[slot].Second == second) d = d with { Incoming = d.Incoming + _seconds[slot].Incoming, Stored = d.Stored + _seconds[slot].Stored, Duplicates = d.Duplicates + _seconds[slot].Duplicates, Rejected = d.Rejected + _seconds[slot].Rejected };
            _seconds[slot] = d;
            _lastSecond = Math.Max(_lastSecond, second);
        }
    }

    /// <summary>Writes the pending rejection groups and hourly counts (added to what other nodes wrote) and clears them.</summary>
    public async Task FlushAsync(DashboardDatabase database, CancellationToken cancellationToken)
    {
        Tick();
        Dictionary<RejectionKey, Tally> rejections;
        Dictionary<long, (long Rejected, long Duplicates)> hours;
        lock (_gate)
        {
            if (_rejections.Count == 0 && _hours.Count == 0) return;
            rejections = _rejections;
            hours = _hours;
            _rejections = new Dictionary<RejectionKey, Tally>();
            _hours = new Dictionary<long, (long, long)>();
        }

        try
        {
            await using var connection = await database.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO dashboard_rejections (event, property, reason, path, client_version, events, first_seen, last_seen) "
                    + "VALUES (@e, @p, @r, @path, @v, @n, @f, @l) ON CONFLICT (event, property, reason, path, client_version) DO UPDATE SET "
                    + "events = dashboard_rejections.events + excluded.events, "
                    + $"first_seen = {database.Least}(dashboard_rejections.first_seen, excluded.first_seen), "
                    + $"last_seen = {database.Greatest}(dashboard_rejections.last_seen, excluded.last_seen)";
                var p = new[] { "@e", "@p", "@r", "@path", "@v", "@n", "@f", "@l" };
                var ps = new DbParameter[p.Length];
                for (var i = 0; i < p.Length; i++) ps[i] = DashboardDatabase.Add(command, p[i], "");
                foreach (var (key, tally) in rejections)
                {
                    (ps[0].Value, ps[1].Value, ps[2].Value, ps[3].Value, ps[4].Value) = (key.Event, key.Property, key.Reason, key.Path, key.ClientVersion);
                    (ps[5].Value, ps[6].Value, ps[7].Value) = (tally.Count, tally.First, tally.Last);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await using (var command = connection.CreateCommand())
            {
                command.Transaction = transaction;
                command.CommandText = "INSERT INTO dashboard_ingest_hours (hour, rejected, duplicates) VALUES (@h, @r, @d) ON CONFLICT (hour) DO UPDATE SET "
                    + "rejected = dashboard_ingest_hours.rejected + excluded.rejected, duplicates = dashboard_ingest_hours.duplicates + excluded.duplicates";
                var h = DashboardDatabase.Add(command, "@h", 0L);
                var r = DashboardDatabase.Add(command, "@r", 0L);
                var d = DashboardDatabase.Add(command, "@d", 0L);
                foreach (var (hour, counts) in hours)
                {
                    (h.Value, r.Value, d.Value) = (hour, counts.Rejected, counts.Duplicates);
                    await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
                }
            }

            await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            // Nothing was written: put the counts back for the next attempt.
            lock (_gate)
            {
                foreach (var (key, t) in rejections)
                {
                    _rejections[key] = _rejections.TryGetValue(key, out var now) ? new Tally(now.Count + t.Count, Math.Min(now.First, t.First), Math.Max(now.Last, t.Last)) : t;
                }

                foreach (var (hour, c) in hours)
                {
                    var now = _hours.TryGetValue(hour, out var x) ? x : default;
                    _hours[hour] = (now.Rejected + c.Rejected, now.Duplicates + c.Duplicates);
                }
            }

            throw;
        }
    }

    public void Dispose()
    {
        _ticker.Dispose();
        _listener.Dispose();
    }

    private readonly record struct RejectionKey(string Event, string Property, string Reason, string Path, string ClientVersion);

    private readonly record struct Tally(long Count, long First, long Last);

    private readonly record struct SecondSample(long Second, long Incoming, long Stored, long Duplicates, long Rejected);
}

/// <summary>Events per second of this node.</summary>
internal readonly record struct LiveRates(double Incoming, double Stored, double Duplicates, double Rejected);
