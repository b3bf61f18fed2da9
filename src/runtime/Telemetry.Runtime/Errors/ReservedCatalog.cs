using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Telemetry.Runtime;

/// <summary>
/// The catalog files of the events the runtime defines itself (<c>error.captured</c>, <c>client.health</c>), in
/// the catalog format: <c>Errors/*.yaml</c>, embedded in this assembly. They are the one definition of these events: the
/// runtime's <see cref="ErrorCaptured"/> and <see cref="ClientHealthReport"/> write what the generator makes of them
/// (<c>Errors/ReservedEvents.g.cs</c>), and the ingest server adds these files to the app's catalog so it validates and
/// stores the events like any other.
/// </summary>
public static class ReservedCatalog
{
    private const string ResourcePrefix = "Telemetry.Runtime.Reserved.";

    /// <summary>The reserved catalog files as (path, YAML text) pairs, paths under <c>reserved/</c>, in ordinal order.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files { get; } = Load();

    /// <summary>Features an app catalog must not define (their events are reserved): each file's feature, named like the file.</summary>
    public static IReadOnlyList<string> Features { get; } =
        Files.Select(f => Path.GetFileNameWithoutExtension(f.Key)).ToArray();

    private static KeyValuePair<string, string>[] Load()
    {
        var assembly = typeof(ReservedCatalog).Assembly;
        var result = new List<KeyValuePair<string, string>>();
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith(ResourcePrefix, StringComparison.Ordinal)).Order(StringComparer.Ordinal))
        {
            using var stream = assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException("The reserved catalog file '" + name + "' cannot be read from Telemetry.Runtime.");
            using var reader = new StreamReader(stream);
            result.Add(new KeyValuePair<string, string>("reserved/" + name[ResourcePrefix.Length..], reader.ReadToEnd()));
        }

        return result.ToArray();
    }
}
