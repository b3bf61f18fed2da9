using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;

namespace Telemetry.Runtime;

/// <summary>
/// Error capture state of one client: the breadcrumb ring, the per-fingerprint rate limit and the counts. Builds the
/// <see cref="ErrorCaptured"/> event on the caller's thread (exceptions are rare; the bounded rendering and scrubbing
/// happen here so the queued event never holds more than the bounds allow) and hands it to the client's Track.
/// </summary>
public sealed class ErrorTracker
{
    private const int MaxTrackedFingerprints = 1024;
    private const int MaxTags = 32;
    private const int MaxTagKeyChars = 64;
    private const int MaxTagValueChars = 200;

    private static readonly ConditionalWeakTable<ITelemetryClient, ErrorTracker> s_forOtherClients = new();

    private readonly ErrorTrackingOptions _options;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, Window> _windows = new(StringComparer.Ordinal);
    private long _captured;
    private long _rateLimited;

    /// <summary>Creates a tracker with <paramref name="options"/> (validated) and <paramref name="time"/>.</summary>
    public ErrorTracker(ErrorTrackingOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new ErrorTrackingOptions();
        var failures = new List<string>();
        _options.Validate(failures);
        if (failures.Count > 0) throw new ArgumentException(string.Join(" ", failures), nameof(options));
        _time = time ?? TimeProvider.System;
        Breadcrumbs = _options.MaxBreadcrumbs > 0 ? new BreadcrumbRing(_options.MaxBreadcrumbs) : null;
    }

    /// <summary>The settings.</summary>
    public ErrorTrackingOptions Options => _options;

    /// <summary>Errors handed to Track (after the rate limit).</summary>
    public long Captured => Interlocked.Read(ref _captured);

    /// <summary>Errors counted but not sent because their fingerprint was over its rate limit.</summary>
    public long RateLimited => Interlocked.Read(ref _rateLimited);

    internal BreadcrumbRing? Breadcrumbs { get; }

    /// <summary>The tracker of <paramref name="client"/>: the pipeline's own, or one per other client with default settings.</summary>
    public static ErrorTracker For(ITelemetryClient client)
    {
        ArgumentNullException.ThrowIfNull(client);
        if (client is TelemetryPipeline pipeline) return pipeline.Errors;
        return s_forOtherClients.GetValue(client, static _ => new ErrorTracker());
    }

    /// <summary>
    /// Run before each snapshot: a pipeline drains what Track captured, since the background drain writes the breadcrumbs
    /// of deferred events (so the snapshot holds every Track call made before it).
    /// </summary>
    internal Action? BeforeSnapshot { get; set; }

    /// <summary>The breadcrumbs an error captured now would carry, oldest first.</summary>
    public IReadOnlyList<string> BreadcrumbSnapshot()
    {
        if (Breadcrumbs is not { } ring) return new List<string>();
        BeforeSnapshot?.Invoke();
        return ring.Snapshot();
    }

    /// <summary>
    /// Records a Track call as a breadcrumb with its event (the pipeline records deferred events from its drain and
    /// write-through ones from Track; other clients may call it): the
    /// struct is copied into a ring of its type, without allocating; its properties are rendered, personal-data ones left
    /// out, only when an error is captured. Does nothing when breadcrumbs are off (<see cref="ErrorTrackingOptions.MaxBreadcrumbs"/> 0).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void RecordTrack<TEvent>(in TEvent telemetryEvent, long utcTicks)
        where TEvent : struct, ITelemetryEvent<TEvent> => Breadcrumbs?.AddTrack(in telemetryEvent, utcTicks);

    /// <summary>Records a tracked event by name only, for a client that has no event struct at hand.</summary>
    public void RecordTrack(EventDescriptor descriptor, long utcTicks) => Breadcrumbs?.AddTrack(descriptor, utcTicks);

    internal void RecordLog(Microsoft.Extensions.Logging.LogLevel level, string category, string message) =>
        Breadcrumbs?.AddLog(level, _time.GetUtcNow().UtcTicks, category, message);

    /// <summary>
    /// Renders, scrubs and fingerprints <paramref name="exception"/> and tracks it as <c>error.captured</c> through
    /// <paramref name="client"/>, unless its fingerprint is over the rate limit (then it is only counted, and the next
    /// one sent carries the count in <c>suppressed</c>).
    /// </summary>
    public ErrorCaptureResult Capture(
        ITelemetryClient client,
        Exception exception,
        ErrorLevel level,
        IEnumerable<KeyValuePair<string, string>>? tags,
        ErrorMechanism mechanism,
        bool handled,
        string? fingerprint = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(exception);
        var custom = fingerprint;
        if (custom is null && _options.Fingerprint is { } rule)
        {
            try
            {
                custom = rule(exception);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                custom = null; // a faulty rule must not lose the error
            }
        }

        var report = ExceptionReport.Create(exception, _options, custom);
        if (!TryAcquire(report.Fingerprint, out var suppressed))
        {
            Interlocked.Increment(ref _rateLimited);
            return new ErrorCaptureResult(report.Fingerprint, RateLimited: true);
        }

        if (!client.IsEnabled(ErrorCaptured.Descriptor)) return new ErrorCaptureResult(report.Fingerprint, RateLimited: false);
        var evt = new ErrorCaptured(
            Enum.IsDefined(level) ? level : ErrorLevel.Error,
            mechanism,
            handled,
            report.ErrorType,
            report.Message,
            report.Fingerprint,
            report.ExceptionTypes,
            report.StackTrace,
            BreadcrumbSnapshot(),
            RenderTags(tags),
            suppressed);
        client.Track(in evt);
        Interlocked.Increment(ref _captured);
        return new ErrorCaptureResult(report.Fingerprint, RateLimited: false);
    }

    private bool TryAcquire(string fingerprint, out int suppressed)
    {
        var now = _time.GetUtcNow();
        lock (_windows)
        {
            if (!_windows.TryGetValue(fingerprint, out var window))
            {
                if (_windows.Count >= MaxTrackedFingerprints) EvictExpired(now);
                window = new Window { Start = now };
                if (_windows.Count < MaxTrackedFingerprints) _windows[fingerprint] = window;
            }

            if (now - window.Start >= _options.RateLimitWindow)
            {
                window.Start = now;
                window.Sent = 0;
            }

            if (window.Sent >= _options.RateLimitPerWindow)
            {
                window.Suppressed++;
                suppressed = 0;
                return false;
            }

            window.Sent++;
            suppressed = (int)Math.Min(int.MaxValue, window.Suppressed);
            window.Suppressed = 0;
            return true;
        }
    }

    private void EvictExpired(DateTimeOffset now)
    {
        var expired = new List<string>();
        foreach (var pair in _windows)
        {
            if (now - pair.Value.Start >= _options.RateLimitWindow && pair.Value.Suppressed == 0) expired.Add(pair.Key);
        }

        foreach (var key in expired) _windows.Remove(key);
    }

    /// <summary>Tags as sorted <c>key=value</c> strings: keys reduced to <c>[a-z0-9_.-]</c>, values scrubbed and bounded, at most 32.</summary>
    internal static List<string> RenderTags(IEnumerable<KeyValuePair<string, string>>? tags)
    {
        var result = new List<string>();
        if (tags is null) return result;
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in tags)
        {
            var key = TagKey(pair.Key);
            if (key.Length == 0) continue;
            sorted[key] = ErrorScrubbingRules.ScrubAndTruncate(pair.Value, MaxTagValueChars);
        }

        foreach (var pair in sorted)
        {
            if (result.Count >= MaxTags) break;
            result.Add(pair.Key + "=" + pair.Value);
        }

        return result;
    }

    private static string TagKey(string? key)
    {
        if (string.IsNullOrEmpty(key)) return string.Empty;
        var sb = new StringBuilder(Math.Min(key.Length, MaxTagKeyChars));
        foreach (var c in key)
        {
            if (sb.Length >= MaxTagKeyChars) break;
            var lower = char.ToLowerInvariant(c);
            sb.Append(lower is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '.' or '-' ? lower : '_');
        }

        return sb.ToString();
    }

    private sealed class Window
    {
        public DateTimeOffset Start;
        public int Sent;
        public long Suppressed;
    }
}

/// <summary>What <c>telemetry.CaptureException(...)</c> did.</summary>
/// <param name="Fingerprint">The error's grouping key.</param>
/// <param name="RateLimited">True when the error was only counted (its fingerprint was over the rate limit).</param>
public readonly record struct ErrorCaptureResult(string Fingerprint, bool RateLimited);
