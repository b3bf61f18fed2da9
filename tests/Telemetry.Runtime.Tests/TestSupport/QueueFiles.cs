using System.Text;

namespace Telemetry.Runtime.Tests.TestSupport;

/// <summary>The bytes of the SQLite queue's files in a folder (database, <c>-wal</c>, <c>-shm</c>), read while the queue may hold them open.</summary>
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
}
