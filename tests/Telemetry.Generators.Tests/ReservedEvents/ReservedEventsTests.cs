using Telemetry.Catalog;
using Telemetry.Generators.Tests.TestSupport;
using Telemetry.Runtime;

namespace Telemetry.Generators.Tests.ReservedEvents;

/// <summary>
/// The reserved events (<c>error.captured</c>, <c>client.health</c>) have one definition, their YAML in the runtime's
/// <c>Errors/</c> folder: the runtime's descriptors, property positions and enum strings are the generator's output for
/// it (<see cref="ReservedEventsFile"/>), the ingest server and the tests read the same files through
/// <see cref="ReservedCatalog.Files"/>.
/// </summary>
public sealed class ReservedEventsTests
{
    [Fact]
    public void The_runtime_file_is_what_the_generator_writes_from_the_reserved_YAML()
    {
        var expected = ReservedEventsFile.Render(ReservedEventsFile.Yaml());
        if (Snapshots.Update)
        {
            File.WriteAllText(ReservedEventsFile.CheckedInPath, expected);
            return;
        }

        Assert.Equal(expected, File.ReadAllText(ReservedEventsFile.CheckedInPath).Replace("\r\n", "\n", StringComparison.Ordinal));
    }

    [Fact]
    public void The_runtime_serves_the_same_YAML_files_it_is_generated_from()
    {
        Assert.Equal(
            ReservedEventsFile.Yaml().Select(f => (Path.GetFileName(f.Path), f.Text)),
            ReservedCatalog.Files.Select(f => (Path.GetFileName(f.Key), f.Value.Replace("\r\n", "\n", StringComparison.Ordinal))).OrderBy(f => f.Item1, StringComparer.Ordinal));
    }

    [Fact]
    public void Each_reserved_file_defines_the_feature_it_is_named_after()
    {
        foreach (var file in CatalogSet.Parse(ReservedCatalog.Files).Files)
        {
            Assert.Equal(Path.GetFileNameWithoutExtension(file.FilePath), file.Feature);
        }

        Assert.Equal(new[] { "client", "error" }, ReservedCatalog.Features);
    }

    [Theory]
    [InlineData("error.yaml", "      handled: { type: boolean,", "      was_handled: { type: boolean,")]
    [InlineData("error.yaml", "max_length: 256, description: \"Full type name", "max_length: 255, description: \"Full type name")]
    [InlineData("client.yaml", "    tier: C", "    tier: B")]
    [InlineData("client.yaml", "oldest_event_age_s: { type: int64, min: 0, required: false", "oldest_event_age_s: { type: int64, min: 0, required: true")]
    public void A_changed_fact_in_the_YAML_changes_the_runtime_file(string file, string from, string to)
    {
        var yaml = ReservedEventsFile.Yaml();
        var changed = yaml.Select(f => Path.GetFileName(f.Path) == file ? f with { Text = Replace(f.Text, from, to) } : f).ToList();

        Assert.NotEqual(ReservedEventsFile.Render(yaml), ReservedEventsFile.Render(changed));
    }

    [Fact]
    public void Each_runtime_enum_has_one_member_per_YAML_value_in_order()
    {
        var events = CatalogSet.Parse(ReservedCatalog.Files).Events.ToList();
        foreach (var (key, type) in ReservedEventsFile.RuntimeEnums)
        {
            var parts = key.Split('/');
            var property = events.Single(e => e.Name == parts[0]).Properties.Single(p => p.Name == parts[1]);
            // The runtime's names may spell a value's words in their own case (aspnetcore: AspNetCore).
            Assert.Equal(property.EnumValues.Select(v => v.Replace("_", "", StringComparison.Ordinal).ToUpperInvariant()), Enum.GetNames(type).Select(n => n.ToUpperInvariant()));
            Assert.Equal(Enumerable.Range(0, property.EnumValues.Count), Enum.GetValues(type).Cast<object>().Select(Convert.ToInt32));
        }
    }

    private static string Replace(string text, string from, string to)
    {
        Assert.Contains(from, text, StringComparison.Ordinal);
        return text.Replace(from, to, StringComparison.Ordinal);
    }
}
