using System;
using System.Collections.Generic;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Telemetry.Ingest.Storage;

namespace Telemetry.Ingest.Security;

/// <summary>Who a presented key belongs to.</summary>
internal enum KeyCheck
{
    /// <summary>No key was presented (401).</summary>
    Missing,
    /// <summary>A key was presented but is not valid here (403).</summary>
    Wrong,
    /// <summary>The key is valid.</summary>
    Valid,
}

/// <summary>
/// The projects' write keys and the admin key, kept only as SHA-256 hashes. Write keys live in the database
/// (<see cref="IControlStore"/>): the configured ones are added at startup, more are added and revoked through
/// <c>/admin/keys</c>, and every node reloads the table every <see cref="IngestOptions.KeyRefreshSeconds"/> (and looks
/// up a key it does not know before refusing it), so nodes behind a load balancer agree. A presented key is
/// hashed and compared with <see cref="CryptographicOperations.FixedTimeEquals"/> against every entry (no early exit),
/// so timing tells nothing about how much of a key matched. Keys are never logged; listings show only the key id.
/// </summary>
internal sealed class KeyRing
{
    private readonly List<(byte[] Hash, string Project)> _configured = new();
    private readonly byte[]? _adminHash;
    private readonly IControlStore? _store;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _refreshGate = new(1, 1);
    private readonly object _swap = new();
    private volatile (byte[] Hash, string Project)[] _writeKeys;

    public KeyRing(IEnumerable<ProjectOptions> projects, string? adminKey, IControlStore? store = null, TimeProvider? time = null)
    {
        foreach (var p in projects)
        {
            if (string.IsNullOrEmpty(p.WriteKey)) continue;
            _configured.Add((Hash(p.WriteKey), ProjectName(p.Name)));
        }

        _writeKeys = _configured.ToArray();
        _adminHash = string.IsNullOrEmpty(adminKey) ? null : Hash(adminKey);
        _store = store;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Number of active write keys known to this node.</summary>
    public int WriteKeyCount => _writeKeys.Length;

    /// <summary>Adds the configured keys to the database (a revoked one stays revoked) and loads the table.</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        if (_store is null) return;
        var now = _time.GetUtcNow();
        foreach (var (hash, project) in _configured)
        {
            await _store.AddWriteKeyAsync(new WriteKeyRecord(KeyIdOf(hash), hash, project, now), cancellationToken).ConfigureAwait(false);
        }

        await RefreshAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reloads the active write keys from the database.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        if (_store is null) return;
        await _refreshGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var records = await _store.LoadWriteKeysAsync(cancellationToken).ConfigureAwait(false);
            var active = new List<(byte[], string)>(records.Count);
            foreach (var r in records)
            {
                if (r.RevokedAt is null && r.Hash.Length == 32) active.Add((r.Hash, r.Project));
            }

            lock (_swap) _writeKeys = active.ToArray();
        }
        finally
        {
            _refreshGate.Release();
        }
    }

    /// <summary>
    /// Checks a write key; on success the project is named. A key this node has not loaded is looked up in the database
    /// (one primary-key read; such requests have passed the rate limiter), so a key just created on another node works
    /// here at once; revocations arrive with the next reload.
    /// </summary>
    public async ValueTask<(KeyCheck Check, string Project)> CheckWriteKeyAsync(string? presented, CancellationToken cancellationToken)
    {
        var check = CheckWriteKey(presented, out var project);
        if (check != KeyCheck.Wrong || _store is null) return (check, project);
        var hash = Hash(presented!);
        WriteKeyRecord? record;
        try
        {
            record = await _store.FindWriteKeyAsync(hash, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (check, project); // the database is down: keep to the keys we have
        }

        if (record is null || record.RevokedAt is not null) return (check, project);
        lock (_swap)
        {
            var keys = _writeKeys;
            var grown = new (byte[], string)[keys.Length + 1];
            keys.CopyTo(grown, 0);
            grown[keys.Length] = (record.Hash, record.Project);
            _writeKeys = grown;
        }

        return (KeyCheck.Valid, record.Project);
    }

    /// <summary>Checks a write key against the keys loaded; on success <paramref name="project"/> names its project.</summary>
    public KeyCheck CheckWriteKey(string? presented, out string project)
    {
        project = "";
        if (string.IsNullOrEmpty(presented)) return KeyCheck.Missing;
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        var keys = _writeKeys;
        var found = -1;
        for (var i = 0; i < keys.Length; i++)
        {
            if (CryptographicOperations.FixedTimeEquals(hash, keys[i].Hash) && found < 0) found = i;
        }

        if (found < 0) return KeyCheck.Wrong;
        project = keys[found].Project;
        return KeyCheck.Valid;
    }

    /// <summary>Checks the admin key.</summary>
    public KeyCheck CheckAdminKey(string? presented)
    {
        if (string.IsNullOrEmpty(presented)) return KeyCheck.Missing;
        if (_adminHash is null) return KeyCheck.Wrong;
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        return CryptographicOperations.FixedTimeEquals(hash, _adminHash) ? KeyCheck.Valid : KeyCheck.Wrong;
    }

    /// <summary>Creates a random write key for <paramref name="project"/>: the record to store and the key itself (shown once).</summary>
    public WriteKeyRecord NewWriteKey(string project, out string key)
    {
        key = "wk_" + Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();
        var hash = Hash(key);
        return new WriteKeyRecord(KeyIdOf(hash), hash, ProjectName(project), _time.GetUtcNow());
    }

    /// <summary>The id of a key: the first 16 hex digits of its SHA-256 hash (not enough to find the key).</summary>
    public static string KeyIdOf(byte[] hash) => Convert.ToHexString(hash, 0, 8).ToLowerInvariant();

    private static string ProjectName(string? name) => string.IsNullOrEmpty(name) ? "default" : name;

    /// <summary>
    /// The key a request presents: <c>Authorization: Bearer KEY</c>, <c>Authorization: Basic base64(KEY:)</c>
    /// (Segment style, empty password) or <c>X-Write-Key: KEY</c>.
    /// </summary>
    public static string? PresentedKey(HttpRequest request)
    {
        if (request.Headers.TryGetValue("X-Write-Key", out var direct) && !StringValues.IsNullOrEmpty(direct)) return direct.ToString().Trim();
        var auth = request.Headers.Authorization.ToString();
        if (auth.Length == 0) return null;
        if (auth.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return auth.Substring(7).Trim();
        if (auth.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(auth.Substring(6).Trim()));
                var colon = decoded.IndexOf(':');
                return colon >= 0 ? decoded.Substring(0, colon) : decoded;
            }
            catch (FormatException)
            {
                return auth; // unreadable: treated as a wrong key
            }
        }

        return auth.Trim();
    }

    /// <summary>A short, non-reversible partition key for a presented key (rate limiting), never the key itself.</summary>
    public static string PartitionOf(string presented)
    {
        Span<byte> hash = stackalloc byte[32];
        Hash(presented, hash);
        return Convert.ToHexString(hash.Slice(0, 12));
    }

    private static byte[] Hash(string key)
    {
        var result = new byte[32];
        Hash(key, result);
        return result;
    }

    private static void Hash(string key, Span<byte> destination)
    {
        var bytes = Encoding.UTF8.GetBytes(key);
        SHA256.HashData(bytes, destination);
    }
}
