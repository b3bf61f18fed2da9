using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.Logging;

namespace Telemetry.Runtime;

/// <summary>
/// The ids of the events whose request is in flight, in a small file next to the SQLite queue
/// (<c>telemetry-inflight.ids</c>, 16 bytes per id, mode 0600). Written before each sink call and emptied after it
/// settled, so ids still in the file when a run starts were in a request when the previous process ended: their
/// next send is a <see cref="ResendReason.CrashReplay"/>. Written without fsync: it survives a killed process, not an
/// OS crash (which then only makes such a resend uncounted).
/// </summary>
internal sealed class InFlightJournal
{
    /// <summary>The file's name inside the queue folder.</summary>
    public const string FileName = "telemetry-inflight.ids";

    private readonly string _path;
    private readonly ILogger _logger;
    private bool _empty;

    private InFlightJournal(string path, ILogger logger, IReadOnlyCollection<Guid> recovered)
    {
        _path = path;
        _logger = logger;
        Recovered = recovered;
        _empty = recovered.Count == 0;
    }

    /// <summary>Ids that were in flight when the previous process ended.</summary>
    public IReadOnlyCollection<Guid> Recovered { get; }

    /// <summary>Opens the journal in <paramref name="directory"/> and reads what the previous run left in it.</summary>
    public static InFlightJournal Open(string directory, ILogger logger)
    {
        var path = Path.Combine(directory, FileName);
        var recovered = new List<Guid>();
        try
        {
            if (File.Exists(path))
            {
                var bytes = File.ReadAllBytes(path);
                for (var i = 0; i + 16 <= bytes.Length; i += 16) recovered.Add(new Guid(bytes.AsSpan(i, 16)));
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            Log.InFlightJournalFailed(logger, ex, path);
        }

        return new InFlightJournal(path, logger, recovered);
    }

    /// <summary>Records <paramref name="ids"/> as in flight (replacing the previous set).</summary>
    public void Begin(IReadOnlyList<Guid> ids)
    {
        var bytes = new byte[ids.Count * 16];
        for (var i = 0; i < ids.Count; i++) ids[i].TryWriteBytes(bytes.AsSpan(i * 16, 16));
        Write(bytes);
        _empty = false;
    }

    /// <summary>Nothing is in flight any more.</summary>
    public void End()
    {
        if (_empty) return;
        Write(Array.Empty<byte>());
        _empty = true;
    }

    private void Write(byte[] bytes)
    {
        try
        {
            var existed = File.Exists(_path);
            File.WriteAllBytes(_path, bytes);
            if (!existed) SecureDirectory.RestrictFile(_path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the resend count depends on it: never let it stop delivery.
            Log.InFlightJournalFailed(_logger, ex, _path);
        }
    }
}
