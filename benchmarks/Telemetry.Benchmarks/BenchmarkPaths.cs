using System.Collections.Concurrent;

namespace Telemetry.Benchmarks;

/// <summary>Folders the benchmarks use.</summary>
internal static class BenchmarkPaths
{
    private static readonly string Root = Path.Combine(Path.GetTempPath(), "telemetry-benchmarks-" + Environment.ProcessId);

    /// <summary>The repository root (the folder holding Telemetry.Generators.sln), found from the program's folder upwards.</summary>
    public static string Repository { get; } = FindRepository();

    /// <summary>A fresh folder with mode 0700 under this process's own temp folder.</summary>
    public static string PrivateTempFolder(string name)
    {
        var path = Path.Combine(Root, name);
        if (OperatingSystem.IsWindows()) Directory.CreateDirectory(path);
        else
        {
            Directory.CreateDirectory(Root, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.CreateDirectory(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        return path;
    }

    public static void DeleteTemp()
    {
        try
        {
            if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static string FindRepository()
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Telemetry.Generators.sln"))) return dir.FullName;
            }
        }

        throw new InvalidOperationException("Run from inside the repository (Telemetry.Generators.sln not found).");
    }
}

/// <summary>Facts noted while benchmarks run (drops, cache checks), printed and saved with the results.</summary>
internal static class BenchmarkNotes
{
    private static readonly ConcurrentDictionary<string, string> Notes = new();

    public static void Record(string key, string text)
    {
        Notes[key] = text;
        Console.WriteLine("// note " + key + ": " + text);
    }

    public static IReadOnlyDictionary<string, string> All => Notes;
}
