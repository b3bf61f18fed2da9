using System;
using System.Collections.Generic;
using System.IO;

namespace Telemetry.Tests.Shared;

/// <summary>One line of tests/Shared/pii-corpus.tsv: the verdict every PII check must give for a sample.</summary>
public sealed record PiiSample(bool IsPersonal, string Kind, string Text)
{
    public override string ToString() => (IsPersonal ? "pii/" + Kind : "clean") + ": " + Text;
}

/// <summary>Reads the shared corpus, linked into each test project that judges personal data (catalog and runtime).</summary>
public static class PiiCorpus
{
    public static IReadOnlyList<PiiSample> Load()
    {
        var path = Path.Combine(AppContext.BaseDirectory, "pii-corpus.tsv");
        var samples = new List<PiiSample>();
        foreach (var line in File.ReadAllLines(path))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var parts = line.Split('\t', 3);
            if (parts.Length != 3 || parts[0] is not ("pii" or "clean")) throw new InvalidDataException("Bad corpus line: " + line);
            samples.Add(new PiiSample(parts[0] == "pii", parts[1], parts[2]));
        }

        return samples;
    }

    /// <summary>xUnit member data: one row per sample.</summary>
    public static IEnumerable<object[]> Rows()
    {
        foreach (var sample in Load()) yield return new object[] { sample.ToString() };
    }

    public static PiiSample Find(string row)
    {
        foreach (var sample in Load())
        {
            if (sample.ToString() == row) return sample;
        }

        throw new ArgumentException("No such corpus row: " + row);
    }
}
