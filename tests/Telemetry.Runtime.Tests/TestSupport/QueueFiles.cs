using System.Text;
using Microsoft.Data.Sqlite;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>The SQLite queue's files in a folder (database, <c>-wal</c>, <c>-shm</c>), read while a queue may hold them open.</summary>
internal static class QueueFiles
{
    /// <summary>Every byte of the queue's files as Latin-1 text, for canary searches.</summary>
    public static string Read(string directory)
    {
        var text = new StringBuilder();
        foreach (var file in Directory.EnumerateFiles(directory, SqliteOfflineQueue.FileName + "*"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            using var reader = new StreamReader(stream, Encoding.Latin1);
            text.Append(reader.ReadToEnd());
        }

        return text.ToString();
    }

    /// <summary>
    /// The queue's database as committed now, from <paramref name="from"/> into <paramref name="to"/>: what a killed process
    /// leaves (SQLite's backup, so no torn copy).
    /// </summary>
    public static void CommittedCopy(string from, string to)
    {
        SecureDirectory.Ensure(to);
        using var source = new SqliteConnection("Data Source=" + Path.Combine(from, SqliteOfflineQueue.FileName) + ";Pooling=false");
        using var target = new SqliteConnection("Data Source=" + Path.Combine(to, SqliteOfflineQueue.FileName) + ";Pooling=false");
        source.Open();
        target.Open();
        source.BackupDatabase(target);
    }
}
