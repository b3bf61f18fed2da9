using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Telemetry.Ingest.Ingestion;

namespace Telemetry.Ingest.Archive;

/// <summary>
/// Hourly gzip JSON Lines files, <c>events-yyyy-MM-ddTHH.jsonl.gz</c> (UTC hour of receipt), one line per event:
/// <c>{"received_at":…,"project":…,"event_id":…,"event":{the wire object as received}}</c>.
/// </summary>
/// <remarks>
/// <para>Each append writes one complete gzip member and flushes it (multi-member gzip is standard; <c>zcat</c> and
/// <see cref="GZipStream"/> read the members as one stream), so a process killed mid-append leaves at most a torn
/// last member, which readers skip.</para>
/// <para>Beside each data file an index <c>events-….idx</c> lists, per appended block, a SHA-256 prefix of each
/// user_id/anonymous_id with its line count. The index line is written before the data, so it may over-claim but never
/// misses a line. A GDPR erase reads the indexes, rewrites only the files that mention the user (to a temporary
/// file, fsynced, then renamed over the original) and rebuilds their indexes.</para>
/// </remarks>
public sealed class FileArchive : IArchive
{
    private const string Prefix = "events-";
    private const string DataSuffix = ".jsonl.gz";
    private const string IndexSuffix = ".idx";
    private static readonly Encoding Utf8 = new UTF8Encoding(false);
    private readonly SemaphoreSlim _lock = new(1, 1);
    private readonly bool _fsync;

    /// <summary>Creates the archive in <paramref name="folder"/> (created when missing, owner-only permissions on Unix).</summary>
    public FileArchive(string folder, bool fsync = true)
    {
        Folder = Path.GetFullPath(folder);
        _fsync = fsync;
        if (!Directory.Exists(Folder))
        {
            if (OperatingSystem.IsWindows()) Directory.CreateDirectory(Folder);
            else Directory.CreateDirectory(Folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    /// <summary>The archive folder.</summary>
    public string Folder { get; }

    /// <summary>The data file of the hour that contains <paramref name="receivedAt"/>.</summary>
    public string FileFor(DateTimeOffset receivedAt) =>
        Path.Combine(Folder, Prefix + receivedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture) + DataSuffix);

    /// <inheritdoc/>
    public async Task AppendAsync(IReadOnlyList<ArchiveRecord> records, CancellationToken cancellationToken)
    {
        if (records.Count == 0) return;
        var byFile = new Dictionary<string, List<ArchiveRecord>>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            var file = FileFor(r.ReceivedAt);
            if (!byFile.TryGetValue(file, out var list)) byFile[file] = list = new List<ArchiveRecord>();
            list.Add(r);
        }

        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var (file, list) in byFile)
            {
                var index = new StringBuilder();
                foreach (var (hash, count) in IdentityCounts(list)) index.Append(hash).Append('\t').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                if (index.Length > 0) await AppendBytesAsync(IndexOf(file), Utf8.GetBytes(index.ToString()), cancellationToken).ConfigureAwait(false);

                using var member = new MemoryStream();
                using (var gzip = new GZipStream(member, CompressionLevel.Fastest, leaveOpen: true))
                {
                    foreach (var r in list) WriteLine(gzip, r);
                }

                await AppendBytesAsync(file, member.ToArray(), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<long> CountUserAsync(string userId, CancellationToken cancellationToken)
    {
        userId = StoredEventFactory.Clean(userId);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long count = 0;
            foreach (var file in FilesMentioning(userId))
            {
                foreach (var line in ReadLines(file))
                {
                    if (Matches(line, userId)) count++;
                }
            }

            return count;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <inheritdoc/>
    public async Task<ArchiveErasure> EraseUserAsync(string userId, CancellationToken cancellationToken)
    {
        userId = StoredEventFactory.Clean(userId);
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            long removed = 0;
            var rewritten = 0;
            foreach (var file in FilesMentioning(userId))
            {
                cancellationToken.ThrowIfCancellationRequested();
                var kept = new List<string>();
                long here = 0;
                foreach (var line in ReadLines(file))
                {
                    if (Matches(line, userId)) here++;
                    else kept.Add(line);
                }

                var index = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var line in kept)
                {
                    foreach (var id in Identities(line)) index[id] = index.TryGetValue(id, out var n) ? n + 1 : 1;
                }

                var temp = file + ".tmp";
                using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
                {
                    using (var gzip = new GZipStream(stream, CompressionLevel.Optimal, leaveOpen: true))
                    {
                        foreach (var line in kept)
                        {
                            gzip.Write(Utf8.GetBytes(line));
                            gzip.WriteByte((byte)'\n');
                        }
                    }

                    stream.Flush(flushToDisk: true);
                }

                File.Move(temp, file, overwrite: true);
                var indexText = new StringBuilder();
                foreach (var (hash, count) in index) indexText.Append(hash).Append('\t').Append(count.ToString(CultureInfo.InvariantCulture)).Append('\n');
                var indexTemp = IndexOf(file) + ".tmp";
                await File.WriteAllTextAsync(indexTemp, indexText.ToString(), Utf8, cancellationToken).ConfigureAwait(false);
                File.Move(indexTemp, IndexOf(file), overwrite: true);
                removed += here;
                if (here > 0) rewritten++;
            }

            return new ArchiveErasure(removed, rewritten);
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>Every line of a data file (torn trailing members are skipped).</summary>
    public static IEnumerable<string> ReadLines(string file)
    {
        var lines = new List<string>();
        try
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var gzip = new GZipStream(stream, CompressionMode.Decompress);
            using var reader = new StreamReader(gzip, Utf8);
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length > 0) lines.Add(line);
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException or IOException)
        {
            // A torn last member (process killed mid-append): everything before it was read.
        }

        return lines;
    }

    /// <inheritdoc/>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        await _lock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var deleted = 0;
            foreach (var file in DataFiles())
            {
                var name = Path.GetFileName(file);
                var hourText = name.Substring(Prefix.Length, name.Length - Prefix.Length - DataSuffix.Length);
                if (!DateTime.TryParseExact(hourText, "yyyy-MM-dd'T'HH", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var hour)) continue;
                if (new DateTimeOffset(hour, TimeSpan.Zero).AddHours(1) > cutoff) continue;
                File.Delete(file);
                File.Delete(IndexOf(file));
                deleted++;
            }

            return deleted;
        }
        finally
        {
            _lock.Release();
        }
    }

    /// <summary>The data files of the archive, oldest first.</summary>
    public IReadOnlyList<string> DataFiles()
    {
        var files = new List<string>(Directory.GetFiles(Folder, Prefix + "*" + DataSuffix));
        files.Sort(StringComparer.Ordinal);
        return files;
    }

    private List<string> FilesMentioning(string userId)
    {
        var hash = HashOf(userId);
        var result = new List<string>();
        foreach (var file in DataFiles())
        {
            var index = IndexOf(file);
            if (!File.Exists(index)) continue;
            foreach (var line in File.ReadLines(index))
            {
                if (line.StartsWith(hash, StringComparison.Ordinal) && line.Length > hash.Length && line[hash.Length] == '\t')
                {
                    result.Add(file);
                    break;
                }
            }
        }

        return result;
    }

    private static string IndexOf(string dataFile) => dataFile.Substring(0, dataFile.Length - DataSuffix.Length) + IndexSuffix;

    private static Dictionary<string, int> IdentityCounts(List<ArchiveRecord> records)
    {
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var r in records)
        {
            if (r.UserId is { Length: > 0 } u) Add(counts, HashOf(u));
            if (r.AnonymousId is { Length: > 0 } a && a != r.UserId) Add(counts, HashOf(a));
        }

        return counts;

        static void Add(Dictionary<string, int> counts, string hash) => counts[hash] = counts.TryGetValue(hash, out var n) ? n + 1 : 1;
    }

    private static string HashOf(string identity)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Utf8.GetBytes(identity), hash);
        return Convert.ToHexString(hash.Slice(0, 16)).ToLowerInvariant();
    }

    private static void WriteLine(Stream stream, ArchiveRecord r)
    {
        using var writer = new Utf8JsonWriter(stream);
        writer.WriteStartObject();
        writer.WriteString("received_at", r.ReceivedAt.ToUniversalTime());
        writer.WriteString("project", r.Project);
        writer.WriteString("event_id", r.EventId);
        writer.WritePropertyName("event");
        writer.WriteRawValue(r.Payload, skipInputValidation: true);
        writer.WriteEndObject();
        writer.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static bool Matches(string line, string userId)
    {
        foreach (var id in IdentitiesRaw(line))
        {
            if (id == userId) return true;
        }

        return false;
    }

    private static IEnumerable<string> Identities(string line)
    {
        foreach (var id in IdentitiesRaw(line)) yield return HashOf(id);
    }

    private static List<string> IdentitiesRaw(string line)
    {
        var result = new List<string>(2);
        try
        {
            using var doc = JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("event", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                // Cleaned as the store's columns and the index are (NUL, lone surrogates), so a line matches exactly the ids its index names.
                if (e.TryGetProperty("user_id", out var u) && u.ValueKind == JsonValueKind.String && u.GetString() is { Length: > 0 } user) result.Add(StoredEventFactory.Clean(user));
                if (e.TryGetProperty("anonymous_id", out var a) && a.ValueKind == JsonValueKind.String && a.GetString() is { Length: > 0 } rawAnon
                    && StoredEventFactory.Clean(rawAnon) is var anon && anon != (result.Count > 0 ? result[0] : null)) result.Add(anon);
            }
        }
        catch (JsonException)
        {
            // Not a line we wrote: it names no one.
        }

        return result;
    }

    private async Task AppendBytesAsync(string path, byte[] bytes, CancellationToken cancellationToken)
    {
        using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, 1, FileOptions.None);
        await stream.WriteAsync(bytes, cancellationToken).ConfigureAwait(false);
        stream.Flush(flushToDisk: _fsync);
    }
}
