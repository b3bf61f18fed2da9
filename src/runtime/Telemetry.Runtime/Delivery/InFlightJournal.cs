using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.Extensions.Logging;
using Microsoft.Win32.SafeHandles;

namespace Telemetry.Runtime;

/// <summary>
/// The ids of the events whose request is in flight, in a small file next to the SQLite queue
/// (<c>telemetry-inflight.ids</c>, 16 bytes per id, mode 0600). Written before each sink call and emptied after it
/// settled, so ids still in the file when a run starts were in a request when the previous process ended: their
/// next send is a <see cref="ResendReason.CrashReplay"/>. Written without fsync: it survives a killed process, not an
/// OS crash (which then only makes such a resend uncounted). The file stays open while the journal lives (a truncate
/// and a write per batch instead of an open, a truncate, a write and a close), and is closed by <see cref="Dispose"/>.
/// </summary>
internal sealed class InFlightJournal : IDisposable
{
    /// <summary>The file's name inside the queue folder.</summary>
    public const string FileName = "telemetry-inflight.ids";

    private readonly string _path;
    private readonly ILogger _logger;
    private readonly object _gate = new();
    private SafeFileHandle? _handle;
    private byte[] _buffer = Array.Empty<byte>();
    private bool _empty;
    private bool _disposed;

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
        lock (_gate)
        {
            if (_buffer.Length < ids.Count * 16) _buffer = new byte[Math.Max(ids.Count * 16, _buffer.Length * 2)];
            for (var i = 0; i < ids.Count; i++) ids[i].TryWriteBytes(_buffer.AsSpan(i * 16, 16));
            Write(_buffer.AsSpan(0, ids.Count * 16));
            _empty = false;
        }
    }

    /// <summary>Nothing is in flight any more.</summary>
    public void End()
    {
        lock (_gate)
        {
            if (_empty) return;
            Write(ReadOnlySpan<byte>.Empty);
            _empty = true;
        }
    }

    /// <summary>Closes the file (what it holds stays for the next run).</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
            _handle?.Dispose();
            _handle = null;
        }
    }

    /// <summary>Replaces the file's content, as <see cref="File.WriteAllBytes(string, byte[])"/> would (truncate, then write).</summary>
    private void Write(ReadOnlySpan<byte> bytes)
    {
        try
        {
            if (_handle is null)
            {
                if (_disposed) return;
                var existed = File.Exists(_path);
                _handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
                if (!existed) SecureDirectory.RestrictFile(_path);
            }

            RandomAccess.SetLength(_handle, 0);
            if (bytes.Length > 0) RandomAccess.Write(_handle, bytes, 0);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Only the resend count depends on it: never let it stop delivery. The next write opens the file afresh.
            _handle?.Dispose();
            _handle = null;
            Log.InFlightJournalFailed(_logger, ex, _path);
        }
    }
}
