namespace Telemetry.Catalog.Tool.Tests.TestSupport;

/// <summary>A fresh folder under the system temp folder, deleted on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public TempFolder()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "telemetry-catalog-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine(new[] { Path }.Concat(parts).ToArray());

    /// <summary>Copies a fixture folder to <c>&lt;temp&gt;/<paramref name="as"/></c> and returns its path.</summary>
    public string CopyFixture(string fixture, string @as = "catalog")
    {
        var target = Combine(@as);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(RepoPaths.Fixture(fixture)))
        {
            File.Copy(file, System.IO.Path.Combine(target, System.IO.Path.GetFileName(file)));
        }

        return target;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder must not fail a test.
        }
    }
}
