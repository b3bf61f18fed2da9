using System;
using System.Collections.Generic;
using System.IO;

namespace Telemetry.Runtime;

/// <summary>
/// The catalog files of the events the runtime defines itself (<c>error.captured</c>, <c>client.health</c>), in
/// the catalog format. The ingest server adds them to the app's catalog so it validates and stores them like any
/// other event; the catalog tool adds them to its JSON Schema output. One definition: the runtime's
/// <see cref="ErrorCaptured"/> and <see cref="ClientHealthReport"/> descriptors are tested against these files.
/// </summary>
public static class ReservedCatalog
{
    /// <summary>Features an app catalog must not define (their events are reserved).</summary>
    public static IReadOnlyList<string> Features { get; } = new[] { "error", "client" };

    /// <summary>The reserved catalog files as (path, YAML text) pairs, paths under <c>reserved/</c>.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Files { get; } = Load();

    private static KeyValuePair<string, string>[] Load()
    {
        var assembly = typeof(ReservedCatalog).Assembly;
        var result = new List<KeyValuePair<string, string>>();
        foreach (var feature in new[] { "client", "error" })
        {
            using var stream = assembly.GetManifestResourceStream("Telemetry.Runtime.Reserved." + feature + ".yaml")
                ?? throw new InvalidOperationException("The reserved catalog file '" + feature + ".yaml' is missing from Telemetry.Runtime.");
            using var reader = new StreamReader(stream);
            result.Add(new KeyValuePair<string, string>("reserved/" + feature + ".yaml", reader.ReadToEnd()));
        }

        return result.ToArray();
    }
}
